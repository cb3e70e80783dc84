#pragma once
// When an S3 request is tried again, and after how long. Pure; the HTTP
// layer reports what happened, this decides.
//
// Retried: transport failures that a new connection may not repeat (refused,
// reset, timed out, an empty reply), HTTP 500, 502, 503, 504 and 429, and
// S3's "RequestTimeout" and "InternalError"/"SlowDown" codes (which S3 may
// also send inside a 200 response to CompleteMultipartUpload). Never
// retried: other 4xx (wrong credentials, missing bucket), and cancellation.
// Delays grow exponentially with full jitter (a uniform draw below the
// exponential bound), so many clients that failed together do not retry
// together.

#include <chrono>
#include <random>
#include <string>

namespace soulstone::store {

struct AttemptResult {
  bool transport_failed = false;  // no HTTP response
  bool transport_transient = false;
  long status = 0;   // HTTP status when there was a response
  std::string code;  // S3 error code from the body, when any
};

[[nodiscard]] bool should_retry(const AttemptResult& result) noexcept;

struct Backoff {
  std::chrono::milliseconds base{250};
  std::chrono::milliseconds cap{20000};
  // Delay before retry number `retry` (1 = the first retry): uniform in
  // [0, min(cap, base * 2^(retry-1))].
  [[nodiscard]] std::chrono::milliseconds delay(int retry, std::mt19937_64& random) const;
};

}  // namespace soulstone::store
