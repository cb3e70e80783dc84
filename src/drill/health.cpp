// The health phase: one GET of the operator's health endpoint (libcurl).

#include <curl/curl.h>

#include <chrono>
#include <memory>

#include "drill/phases.hpp"
#include "pg/url.hpp"

namespace soulstone::drill::internal {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

Check check_health(const Options& options) {
  Check check{.phase = "health", .name = "health endpoint"};
  if (options.health_url.empty()) {
    check.status = Status::Skipped;
    check.detail = "no health endpoint configured (--health-url or [drill] health_url)";
    return check;
  }
  const std::string shown = pg::redact(options.health_url);  // a URL may carry credentials
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    check.status = Status::Failed;
    check.detail = "cannot start libcurl";
    check.issues.push_back(check.detail);
    return check;
  }
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, options.health_url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(options.health_timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  const auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(curl.get());
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) {
    check.status = Status::Failed;
    check.detail =
        "GET " + shown + " failed: " + (error[0] != '\0' ? std::string(error) : curl_easy_strerror(code));
  } else if (status < 200 || status > 299) {
    check.status = Status::Failed;
    check.detail = "GET " + shown + " answered HTTP " + std::to_string(status);
  } else {
    check.status = Status::Passed;
    check.detail = "GET " + shown + " answered HTTP " + std::to_string(status) + " in " +
                   std::to_string(elapsed.count()) + " ms";
  }
  if (check.status == Status::Failed) check.issues.push_back(check.detail);
  return check;
}

}  // namespace soulstone::drill::internal
