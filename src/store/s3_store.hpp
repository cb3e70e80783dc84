#pragma once
// The s3:// back end: Amazon S3 and compatible services (MinIO, R2, Ceph,
// s3rver) over libcurl with its built-in SigV4 signing. Layout, integrity
// checks and limits: docs/formats/store.md.
//
// * Objects live under s3://bucket/prefix/<key>. A write of up to one part
//   is one PutObject; a longer one is a multipart upload whose parts grow
//   with the stream (PartPlan), with a few parts uploading at once and memory
//   bounded by the part buffers. Each request carries the SHA-256 of its
//   body (signed) and each part its Content-MD5; each part's ETag, and a
//   multipart ETag of AWS's form, are checked against our own MD5s.
// * A writer destroyed uncommitted, or failing, aborts its multipart upload
//   (AbortMultipartUpload); nothing becomes visible under the key.
// * Every request is retried with exponential back-off and full jitter on
//   transport failures, 5xx and 429 (retry.hpp); a download resumes where it
//   broke off (Range + If-Match).
// * list() follows continuation tokens to the end or throws.
// * Errors are Error(Storage) naming the operation and S3's error code;
//   never a credential or a signature.
//
// Thread-safety: a store may be used by one thread at a time; its writers
// run their own upload threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace soulstone::store {

enum class Addressing {
  Auto,           // virtual-hosted on AWS (bucket names without dots), path-style with an endpoint
  Path,           // http://endpoint/bucket/key (MinIO, s3rver, Ceph)
  VirtualHosted,  // http://bucket.endpoint/key
};

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct S3Config {
  std::string bucket;
  std::string prefix;    // "" or "a/b" (no leading or trailing '/')
  std::string endpoint;  // "http[s]://host[:port]"; empty: https://s3.<region>.amazonaws.com
  std::string region = "us-east-1";
  Addressing addressing = Addressing::Auto;
  S3Credentials credentials;

  std::uint64_t min_part_size = 8ull << 20;   // first parts; later ones double (PartPlan)
  int max_parts = 10000;                      // the service's part-count limit
  int parallel_parts = 4;                     // uploads at once, at most
  std::uint64_t upload_memory = 96ull << 20;  // all part buffers together (PartPlan::in_flight)
  int page_size = 1000;                       // keys per ListObjectsV2 page (max-keys)

  int max_attempts = 6;  // per request, the first included
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds backoff_cap{20000};
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds stall_timeout{60};
};

// Reads a variable of the environment (injectable for tests).
using Getenv = std::function<std::optional<std::string>(const std::string& name)>;
[[nodiscard]] Getenv process_environment();

// The configuration of `url` (s3://bucket[/prefix]) from the environment, as
// the AWS CLI reads it:
// * endpoint: options.endpoint, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL;
// * region: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, us-east-1;
// * credentials: the profile named by AWS_PROFILE when set, else
//   AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the
//   "default" profile; profiles come from AWS_SHARED_CREDENTIALS_FILE
//   (~/.aws/credentials) and AWS_CONFIG_FILE (~/.aws/config);
// * addressing: SOULSTONE_S3_ADDRESSING (auto|path|virtual), else the
//   profile's `s3 = addressing_style = ...`;
// * SOULSTONE_S3_MAX_PARTS, SOULSTONE_S3_PART_SIZE (e.g. 16MiB),
//   SOULSTONE_S3_PARALLEL, SOULSTONE_S3_MAX_ATTEMPTS.
// Throws Error(Input) for a malformed URL or setting, a missing profile, or
// no credentials at all.
[[nodiscard]] S3Config s3_config(std::string_view url, const StoreOptions& options, const Getenv& env);

[[nodiscard]] std::unique_ptr<ObjectStore> open_s3_store(const S3Config& config);

}  // namespace soulstone::store
