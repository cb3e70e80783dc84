#include "store/s3_client.hpp"

#include <algorithm>
#include <thread>

#include "base/error.hpp"
#include "store/digest.hpp"
#include "store/retry.hpp"
#include "store/xml.hpp"

namespace soulstone::store {

namespace {

constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

bool dns_compatible(const std::string& bucket) {
  return bucket.find('.') == std::string::npos && bucket.find('_') == std::string::npos;
}

std::string replace_all(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
    text.replace(at, secret.size(), "****");
  return text;
}

std::string hint_for(long status, const std::string& code) {
  if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "InvalidToken" ||
      code == "ExpiredToken" || code == "AccessDenied" || status == 401 || status == 403)
    return "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile AWS_PROFILE "
           "names) "
           "and that they may use this bucket";
  if (code == "RequestTimeTooSkewed") return "this machine's clock is off: synchronise it (NTP)";
  if (code == "NoSuchBucket") return "check the bucket name in the store URL, and the endpoint and region";
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed")
    return "the bucket is in another region: set AWS_REGION to it";
  return "";
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string join_key(const std::string& prefix, const std::string& key) {
  if (prefix.empty()) return key;
  if (key.empty()) return prefix + "/";
  return prefix + "/" + key;
}

S3Client::S3Client(std::shared_ptr<const S3Config> config, const std::atomic<bool>* cancel)
    : config_(std::move(config)),
      cancel_(cancel),
      http_({.sigv4 = "aws:amz:" + config_->region + ":s3",
             .access_key_id = config_->credentials.access_key_id,
             .secret_access_key = config_->credentials.secret_access_key,
             .connect_timeout = config_->connect_timeout,
             .stall_timeout = config_->stall_timeout,
             .cancel = cancel}),
      random_(std::random_device{}()) {}

std::string S3Client::endpoint() const {
  return config_->endpoint.empty() ? "https://s3." + config_->region + ".amazonaws.com" : config_->endpoint;
}

std::string S3Client::url(const std::string& key, const std::string& query) const {
  std::string endpoint = this->endpoint();
  bool virtual_hosted = config_->addressing == Addressing::VirtualHosted ||
                        (config_->addressing == Addressing::Auto && config_->endpoint.empty() &&
                         dns_compatible(config_->bucket));
  std::string out;
  if (virtual_hosted) {
    auto scheme_end = endpoint.find("://") + 3;
    out = endpoint.substr(0, scheme_end) + config_->bucket + "." + endpoint.substr(scheme_end) + "/";
  } else {
    out = endpoint + "/" + config_->bucket + "/";
  }
  out += uri_encode(key, true);
  if (!query.empty()) out += "?" + query;
  return out;
}

std::string S3Client::display(const std::string& key) const { return "s3://" + config_->bucket + "/" + key; }

void S3Client::pause(int retry) {
  Backoff backoff{.base = config_->backoff_base, .cap = config_->backoff_cap};
  auto until = std::chrono::steady_clock::now() + backoff.delay(retry, random_);
  while (std::chrono::steady_clock::now() < until) {
    if (cancel_ != nullptr && cancel_->load()) throw Error(ErrorKind::Storage, "the transfer was cancelled");
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        until - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
  }
}

HttpResponse S3Client::send(const S3Call& call) {
  // Downloads resume after a broken connection: ask for the rest of the same
  // version of the object and pass on only bytes not yet delivered.
  std::uint64_t delivered = 0;
  std::string etag;
  for (int attempt = 1;; ++attempt) {
    HttpRequest request{
        .method = call.method, .url = url(call.key, call.query), .headers = call.headers, .body = call.body};
    request.headers.push_back("x-amz-content-sha256: " +
                              (call.body.empty() ? std::string(kEmptySha256) : sha256_hex(call.body)));
    if (!config_->credentials.session_token.empty())
      request.headers.push_back("x-amz-security-token: " + config_->credentials.session_token);
    std::uint64_t skip = 0;
    if (call.sink) {
      if (delivered > 0) {
        request.headers.push_back("Range: bytes=" + std::to_string(delivered) + "-");
        if (!etag.empty()) request.headers.push_back("If-Match: " + etag);
      }
      bool first = true;
      request.sink = [&](std::string_view data) {
        if (first) {
          first = false;
          const Headers& headers = http_.live_headers();
          if (auto it = headers.find("etag"); it != headers.end() && etag.empty()) etag = it->second;
          // A server that ignores Range sends the whole object again.
          skip = http_.live_status() == 206 ? 0 : delivered;
        }
        std::size_t drop = static_cast<std::size_t>(std::min<std::uint64_t>(skip, data.size()));
        skip -= drop;
        data.remove_prefix(drop);
        if (data.empty()) return;
        delivered += data.size();
        call.sink(data);
      };
    }
    HttpResponse response = http_.perform(request);
    bool ok = !response.transport_failed && response.status >= 200 && response.status < 300;
    // S3 can report a failed CompleteMultipartUpload inside a 200 response.
    std::string code;
    if (!response.transport_failed && response.body.find("<Error>") != std::string::npos)
      code = xml::text(response.body, "Code").value_or("");
    if (ok && code.empty()) return response;
    if (!response.transport_failed &&
        std::find(call.accept.begin(), call.accept.end(), response.status) != call.accept.end())
      return response;
    AttemptResult result{.transport_failed = response.transport_failed,
                         .transport_transient = response.transport_transient,
                         .status = response.status,
                         .code = code};
    if (!should_retry(result) || attempt >= config_->max_attempts) fail(call, response, attempt);
    pause(attempt);
  }
}

void S3Client::fail(const S3Call& call, const HttpResponse& response, int attempts) const {
  std::string message =
      "S3 " + call.what + " " + (call.subject.empty() ? display(call.key) : call.subject) + " failed";
  if (attempts > 1) message += " after " + std::to_string(attempts) + " attempts";
  std::string code;
  if (response.transport_failed) {
    message += ": " + response.transport_error;
  } else {
    code = xml::text(response.body, "Code").value_or("");
    message += ": HTTP " + std::to_string(response.status);
    if (!code.empty()) message += " " + code;
    // Replies to HEAD carry no error document: name the status at least.
    else if (response.status == 403)
      message += " Forbidden";
    else if (response.status == 400)
      message += " Bad Request";
    else if (response.status >= 500)
      message += " (server error)";
    if (auto text = xml::text(response.body, "Message"); text && !text->empty()) message += ": " + *text;
  }
  std::string hint =
      response.transport_failed
          ? "check that " + endpoint() + " is reachable and the endpoint is right; every attempt failed"
          : hint_for(response.status, code);
  message = replace_all(replace_all(message, config_->credentials.secret_access_key),
                        config_->credentials.session_token);
  throw Error(ErrorKind::Storage, message, hint);
}

}  // namespace soulstone::store
