#include "store/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <exception>
#include <mutex>

#include "base/error.hpp"

namespace soulstone::store {

namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Failures a fresh connection may well not repeat.
bool transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

struct HttpClient::State {
  HttpSettings settings;
  Easy easy;
  char error[CURL_ERROR_SIZE] = {};
  // Per exchange:
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::size_t sent = 0;
  std::exception_ptr sink_error;

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* state = static_cast<State*>(self);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
      state->response.headers.clear();  // a new response (after 100 Continue)
      return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      state->response.headers[name] = trim(line.substr(colon + 1));
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* state = static_cast<State*>(self);
    std::size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(state->easy.get(), CURLINFO_RESPONSE_CODE, &status);
    state->response.status = status;
    if (state->request->sink && status >= 200 && status < 300) {
      try {
        state->request->sink({data, bytes});
      } catch (...) {
        state->sink_error = std::current_exception();
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
      }
      return bytes;
    }
    state->response.body.append(data, bytes);
    return bytes;
  }

  static std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
    auto* state = static_cast<State*>(self);
    std::string_view rest = state->request->body.substr(state->sent);
    std::size_t n = std::min(rest.size(), size * count);
    std::memcpy(buffer, rest.data(), n);
    state->sent += n;
    return n;
  }

  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* state = static_cast<State*>(self);
    return state->settings.cancel != nullptr && state->settings.cancel->load() ? 1 : 0;
  }
};

HttpClient::HttpClient(HttpSettings settings) : state_(std::make_unique<State>()) {
  global_init();
  state_->settings = std::move(settings);
  state_->easy.reset(curl_easy_init());
  if (!state_->easy) throw Error(ErrorKind::Storage, "libcurl could not create a handle");
}

HttpClient::~HttpClient() = default;

const Headers& HttpClient::live_headers() const noexcept { return state_->response.headers; }
long HttpClient::live_status() const noexcept { return state_->response.status; }

HttpResponse HttpClient::perform(const HttpRequest& request) {
  State& s = *state_;
  CURL* easy = s.easy.get();
  curl_easy_reset(easy);  // keeps the connection cache
  s.request = &request;
  s.response = {};
  s.sent = 0;
  s.sink_error = nullptr;
  s.error[0] = '\0';

  HeaderList headers;
  for (const std::string& header : request.headers) {
    curl_slist* grown = curl_slist_append(headers.get(), header.c_str());
    if (grown == nullptr) throw Error(ErrorKind::Storage, "out of memory building an HTTP request");
    (void)headers.release();
    headers.reset(grown);
  }

  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, s.error);
  curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, s.settings.sigv4.c_str());
  curl_easy_setopt(easy, CURLOPT_USERNAME, s.settings.access_key_id.c_str());
  curl_easy_setopt(easy, CURLOPT_PASSWORD, s.settings.secret_access_key.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s.settings.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(s.settings.stall_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &State::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &s);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &State::on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &s);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &State::on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &s);
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);

  std::string_view method = request.method;
  if (method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (method == "PUT") {
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &State::on_read);
    curl_easy_setopt(easy, CURLOPT_READDATA, &s);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (method != "GET") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, request.method);
  }

  CURLcode code = curl_easy_perform(easy);
  s.request = nullptr;
  if (s.sink_error) std::rethrow_exception(s.sink_error);
  if (code == CURLE_ABORTED_BY_CALLBACK) throw Error(ErrorKind::Storage, "the transfer was cancelled");
  HttpResponse response = std::move(s.response);
  if (code != CURLE_OK) {
    response.transport_failed = true;
    response.transport_transient = transient(code);
    response.transport_error = s.error[0] != '\0' ? s.error : curl_easy_strerror(code);
    return response;
  }
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace soulstone::store
