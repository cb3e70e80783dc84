#pragma once
// One HTTP exchange through libcurl, signed with its built-in AWS SigV4
// (CURLOPT_AWS_SIGV4). curl.h stays in http.cpp; the CURL handle is owned
// here and reused across requests so connections are kept alive.
//
// Thread-safety: one HttpClient per thread.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::store {

struct HttpRequest {
  const char* method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string url;             // complete and already encoded
  std::vector<std::string> headers;
  std::string_view body;  // PUT and POST; must outlive perform()
  // Receives a 2xx response's body as it arrives; may throw (the exchange is
  // then aborted and the exception rethrown by perform()). Without it, the
  // body is collected into HttpResponse::body. Non-2xx bodies are always
  // collected (they hold S3's error document).
  std::function<void(std::string_view)> sink;
};

using Headers = std::map<std::string, std::string>;  // lower-case names

struct HttpResponse {
  long status = 0;  // 0 when the exchange failed before a response
  Headers headers;
  std::string body;
  bool transport_failed = false;
  bool transport_transient = false;  // worth another attempt
  std::string transport_error;       // curl's description (never holds credentials)
};

struct HttpSettings {
  std::string sigv4;  // "aws:amz:<region>:s3"
  std::string access_key_id;
  std::string secret_access_key;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds stall_timeout{60};     // less than 1 byte/s for this long: timed out
  const std::atomic<bool>* cancel = nullptr;  // set: abort transfers in progress
};

class HttpClient {
 public:
  explicit HttpClient(HttpSettings settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One attempt, no retries. Transport failures come back in the response;
  // only an exception thrown by request.sink (or a cancellation, as
  // Error(Storage)) propagates.
  HttpResponse perform(const HttpRequest& request);

  // Headers of the response being received (for a sink that needs them).
  [[nodiscard]] const Headers& live_headers() const noexcept;
  [[nodiscard]] long live_status() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::store
