#pragma once
// The agent's HTTP server: exact GET/HEAD routes answered by handlers, on
// cpp-httplib (which stays out of this header), hardened for an endpoint
// that monitoring systems and people poke at:
// * a whole request head (line and headers) must arrive within
//   header_timeout and fit max_header_bytes, else 408 / 431 and the
//   connection closes; bodies over max_body_bytes get 413;
// * methods other than GET and HEAD get 405; paths with dot segments,
//   backslashes or control characters get 400; unknown paths 404;
// * every error is a JSON body {"error": {"status", "message"}}; an
//   exception in a handler is a plain 500: its text, which could hold
//   anything, goes to the log only, never to the client;
// * a connection that erred is closed; idle keep-alive connections are
//   closed after idle_timeout.
// Thread-safety: handlers run on the server's worker threads, concurrently.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agent/config.hpp"

namespace soulstone::agent {

struct HttpRequest {
  std::string method;  // GET or HEAD
  std::string path;    // decoded
  std::multimap<std::string, std::string> params;
  std::map<std::string, std::string> headers;  // names lower-cased
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// {"error": {"status": 404, "message": "..."}} plus a newline.
[[nodiscard]] std::string error_body(int status, const std::string& message);

struct HttpHooks {
  // After every response: the route's name ("other" for unknown paths).
  std::function<void(const std::string& route, int status)> answered;
  // Problems worth a log line (handler exceptions), never sent to clients.
  std::function<void(const std::string& message)> problem;
};

class HttpServer {
 public:
  HttpServer(HttpLimits limits, HttpHooks hooks);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // REQUIRES: before listen().
  void route(const std::string& path, const std::string& name, HttpHandler handler);
  // Every path that starts with `prefix` and goes on (e.g. "/api/orders/"
  // for "/api/orders/<id>"). REQUIRES: before listen().
  void route_prefix(const std::string& prefix, const std::string& name, HttpHandler handler);

  // Binds (port 0: a free one) and serves on a background thread. Returns
  // the port. Throws Error(Failure) when the address cannot be bound.
  int listen(const ListenAddress& address);

  // Stops accepting, ends open connections within ~0.1 s, joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace soulstone::agent
