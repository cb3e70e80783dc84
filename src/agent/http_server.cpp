#include "agent/http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent/http_connection.hpp"
#include "base/error.hpp"

namespace soulstone::agent {

namespace {

// Set by the error and routing hooks of the request being served on this
// worker thread; read by the connection loop after the response went out.
thread_local bool t_close_after_response = false;

const char* reason(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "no such endpoint";
    case 405:
      return "method not allowed: only GET and HEAD are served";
    case 408:
      return "the request head did not arrive in time";
    case 413:
      return "the request body is too large";
    case 414:
      return "the request target is too long";
    case 431:
      return "the request head is too large";
    case 500:
      return "internal error";
    case 503:
      return "unavailable";
    default:
      return "error";
  }
}

// Paths are matched exactly; anything that looks like an attempt to walk
// the file system, or is not printable, is refused outright.
bool acceptable_path(const std::string& path) {
  if (path.empty() || path.front() != '/') return false;
  for (unsigned char c : path)
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  std::string padded = path + "/";
  return padded.find("/../") == std::string::npos && padded.find("/./") == std::string::npos;
}

class HardenedServer final : public httplib::Server {
 public:
  HardenedServer(const HttpLimits& limits, HttpHooks& hooks, const std::atomic<bool>& stopping)
      : limits_(limits), hooks_(hooks), stopping_(stopping) {}

 private:
  // Replaces httplib's keep-alive loop: our Connection reads each head
  // under the limits, then httplib parses and dispatches it.
  bool process_and_close_socket(socket_t sock) override {
    int yes = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    {
      detail::Connection connection(sock, limits_, stopping_);
      for (std::size_t served = 0; served < limits_.max_requests_per_connection; ++served) {
        auto head = connection.read_head(served == 0);
        if (head == detail::Connection::Head::TooLarge || head == detail::Connection::Head::LineTooLong) {
          refuse(connection, head == detail::Connection::Head::TooLarge ? 431 : 414);
          break;
        }
        if (head == detail::Connection::Head::TooSlow) {
          refuse(connection, 408);
          break;
        }
        if (head != detail::Connection::Head::Ready) break;
        bool last = served + 1 == limits_.max_requests_per_connection || stopping_.load();
        bool client_closes = false;
        t_close_after_response = false;
        bool written = process_request(connection, last, client_closes, [](httplib::Request&) {});
        if (!written || client_closes || last || t_close_after_response) break;
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return true;
  }

  void refuse(detail::Connection& connection, int status) {
    std::string body = error_body(status, reason(status));
    std::string head =
        "HTTP/1.1 " + std::to_string(status) +
        (status == 408   ? " Request Timeout"
         : status == 414 ? " URI Too Long"
                         : " Request Header Fields Too Large") +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n";
    std::string all = head + body;
    std::size_t done = 0;
    while (done < all.size()) {
      ssize_t sent = connection.write(all.data() + done, all.size() - done);
      if (sent <= 0) break;
      done += static_cast<std::size_t>(sent);
    }
    if (hooks_.answered) hooks_.answered("other", status);
  }

  const HttpLimits& limits_;
  HttpHooks& hooks_;
  const std::atomic<bool>& stopping_;
};

}  // namespace

std::string error_body(int status, const std::string& message) {
  return nlohmann::json({{"error", {{"status", status}, {"message", message}}}}).dump() + "\n";
}

struct HttpServer::Impl {
  HttpLimits limits;
  HttpHooks hooks;
  std::atomic<bool> stopping{false};
  HardenedServer server{limits, hooks, stopping};
  std::map<std::string, std::string> names;                   // path -> route name
  std::vector<std::pair<std::string, std::string>> prefixes;  // prefix -> route name
  std::thread thread;

  std::string name_of(const std::string& path) const {
    auto it = names.find(path);
    if (it != names.end()) return it->second;
    for (const auto& [prefix, name] : prefixes)
      if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) return name;
    return "other";
  }
  void add(const std::string& pattern, HttpHandler handler);
};

namespace {

// httplib's patterns are regular expressions: escape a path to match it literally.
std::string literal(const std::string& path) {
  std::string pattern;
  for (char c : path) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  return pattern;
}

}  // namespace

HttpServer::HttpServer(HttpLimits limits, HttpHooks hooks) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->hooks = std::move(hooks);
  Impl& impl = *impl_;
  auto& server = impl.server;
  int threads = limits.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_payload_max_length(limits.max_body_bytes);
  server.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits.read_timeout).count());
  server.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits.write_timeout).count());
  server.set_default_headers({{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});
  // httplib's default sets SO_REUSEPORT, which lets a second agent bind the
  // same port and silently share the traffic; SO_REUSEADDR only allows a
  // quick restart.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  server.set_pre_routing_handler([&impl](const httplib::Request& request, httplib::Response& response) {
    if (request.method != "GET" && request.method != "HEAD") {
      response.status = 405;
      response.set_header("Allow", "GET, HEAD");
      response.set_content(error_body(405, reason(405)), "application/json");
      t_close_after_response = true;  // a body may follow, unread
      return httplib::Server::HandlerResponse::Handled;
    }
    // httplib never reads the body of a GET; one that came with a body
    // leaves it on the connection, which must then close after the answer.
    std::size_t length = 0;
    if (request.has_header("Content-Length")) {
      try {
        length = std::stoull(request.get_header_value("Content-Length"));
      } catch (...) {
        length = impl.limits.max_body_bytes + 1;
      }
    }
    if (length > 0 || request.has_header("Transfer-Encoding")) t_close_after_response = true;
    if (length > impl.limits.max_body_bytes) {
      response.status = 413;
      response.set_content(error_body(413, reason(413)), "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!acceptable_path(request.path)) {
      response.status = 400;
      response.set_content(
          error_body(400, "the path must be absolute, printable and free of . and .. segments"),
          "application/json");
      t_close_after_response = true;
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Statuses httplib sets itself (400, 404, 413, 414) get our JSON body;
  // responses that already have one (a 503 from /readyz) are left alone.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        response.set_content(error_body(response.status, reason(response.status)), "application/json");
        if (response.status != 404) t_close_after_response = true;
        return httplib::Server::HandlerResponse::Handled;
      }));

  server.set_exception_handler(
      [&impl](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        if (impl.hooks.problem)
          impl.hooks.problem("HTTP handler for " + impl.name_of(request.path) + " failed: " + what);
        response.status = 500;
        response.set_content(error_body(500, reason(500)), "application/json");
      });

  server.set_logger([&impl](const httplib::Request& request, const httplib::Response& response) {
    if (impl.hooks.answered) impl.hooks.answered(impl.name_of(request.path), response.status);
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(const std::string& path, const std::string& name, HttpHandler handler) {
  impl_->names[path] = name;
  impl_->add(literal(path), std::move(handler));
}

void HttpServer::route_prefix(const std::string& prefix, const std::string& name, HttpHandler handler) {
  impl_->prefixes.emplace_back(prefix, name);
  impl_->add(literal(prefix) + ".+", std::move(handler));
}

void HttpServer::Impl::add(const std::string& pattern, HttpHandler handler) {
  server.Get(pattern,
             [handler = std::move(handler)](const httplib::Request& request, httplib::Response& response) {
               HttpRequest view{.method = request.method, .path = request.path, .params = {}, .headers = {}};
               for (const auto& [key, value] : request.params)
                 view.params.emplace(key, value);
               for (const auto& [key, value] : request.headers) {
                 std::string lower = key;
                 for (char& c : lower)
                   c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                 view.headers.emplace(lower, value);
               }
               HttpResponse answer = handler(view);
               response.status = answer.status;
               for (const auto& [key, value] : answer.headers)
                 response.set_header(key, value);
               response.set_content(answer.body, answer.content_type);
             });
}

int HttpServer::listen(const ListenAddress& address) {
  Impl& impl = *impl_;
  int port = address.port;
  bool bound = false;
  if (port == 0) {
    port = impl.server.bind_to_any_port(address.host);
    bound = port > 0;
  } else {
    bound = impl.server.bind_to_port(address.host, port);
  }
  if (!bound)
    throw Error(
        ErrorKind::Failure,
        "cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " + errno_text(errno),
        "another program may hold the port; set [agent] listen to a free one");
  auto ended = std::make_shared<std::atomic<bool>>(false);
  impl.thread = std::thread([&impl, ended] {
    impl.server.listen_after_bind();
    *ended = true;
  });
  // httplib's stop() does nothing until its loop has marked itself running:
  // wait for that, so a stop right after listen() is never lost.
  while (!impl.server.is_running() && !*ended)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

void HttpServer::stop() {
  if (!impl_) return;
  impl_->stopping = true;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace soulstone::agent
