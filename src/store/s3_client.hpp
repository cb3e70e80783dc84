#pragma once
// S3 requests with retries: builds the URL for the configured addressing,
// adds the signed payload hash and session token, sends through HttpClient,
// retries what retry.hpp says with back-off, resumes interrupted downloads,
// and turns failures into Error(Storage) messages without secrets.
//
// Thread-safety: one S3Client per thread (each owns a connection).

#include <atomic>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "store/http.hpp"
#include "store/s3_store.hpp"

namespace soulstone::store {

struct S3Call {
  const char* method = "GET";
  std::string key;    // the object's full key (prefix included); "" for the bucket
  std::string query;  // canonical: sorted, encoded, "name=value" joined by '&'
  std::vector<std::string> headers;
  std::string_view body;
  std::function<void(std::string_view)> sink;  // streamed 2xx body (GET)
  std::vector<long> accept = {};               // non-2xx statuses returned rather than thrown (404)
  std::string what;                            // for messages: "upload of part 3 of"
  std::string subject;                         // for messages: what `what` acts on; default s3://bucket/key
};

class S3Client {
 public:
  S3Client(std::shared_ptr<const S3Config> config, const std::atomic<bool>* cancel = nullptr);

  // Sends with retries. Returns a 2xx response or one whose status is in
  // call.accept; throws Error(Storage) otherwise. A sink sees every byte of
  // the body exactly once, even when the download had to be resumed.
  HttpResponse send(const S3Call& call);

  [[nodiscard]] std::string url(const std::string& key, const std::string& query) const;
  // The service's base URL: the configured endpoint or AWS's for the region.
  [[nodiscard]] std::string endpoint() const;
  // s3://bucket/key for messages.
  [[nodiscard]] std::string display(const std::string& key) const;

 private:
  [[noreturn]] void fail(const S3Call& call, const HttpResponse& response, int attempts) const;
  void pause(int retry);

  std::shared_ptr<const S3Config> config_;
  const std::atomic<bool>* cancel_;
  HttpClient http_;
  std::mt19937_64 random_;
};

// AWS's URI encoding: unreserved characters stay, everything else is %XX;
// '/' stays when `keep_slash`.
[[nodiscard]] std::string uri_encode(std::string_view text, bool keep_slash);

// The full key of `key` under `prefix`.
[[nodiscard]] std::string join_key(const std::string& prefix, const std::string& key);

}  // namespace soulstone::store
