#pragma once
// The agent's read API over the Soulstone shop's data
// (apps/api/prisma/schema.prisma), on the C++ client that `soulstone
// generate` makes for that schema (generated at build time, private to this
// module):
//
//   GET /api/products?collection=<slug>&page=<n>   active products, newest first
//   GET /api/products/<slug>                        one active product with its collections
//   GET /api/collections?page=<n>                   collections by position
//   GET /api/orders/<uuid>                          one order with its items and payments
//
// Every request needs `Authorization: Bearer <token>`; the token is compared
// in constant time and never logged. Answers are JSON; errors are
// {"error": {"status", "message"}} with 400 (bad parameter), 401 (no or
// wrong token), 404 (no such row or endpoint) or 503 (the database failed;
// its message goes to `problem`, never to the client). docs/operations.md
// ("The read API") specifies the bodies.
//
// Thread-safety: handle() may be called from many threads at once; each
// call borrows one of at most `max_connections` connections, every one a
// read-only session with a statement timeout.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pg/url.hpp"

namespace soulstone::api {

struct Request {
  std::string path;                                         // decoded, e.g. /api/products/red-shirt
  std::vector<std::pair<std::string, std::string>> params;  // decoded query parameters, in order
  std::string authorization;                                // the Authorization header, "" when absent
};

struct Response {
  int status = 200;
  std::string body;  // JSON and a newline
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Options {
  pg::ConnInfo database;
  std::string token;  // REQUIRES: check_token(token) passed
  int page_size = 20;
  std::size_t max_connections = 8;
  std::chrono::milliseconds statement_timeout{5000};
  int connect_timeout_seconds = 3;
  // Problems worth a log line (a failing database); never sent to clients.
  std::function<void(const std::string& message)> problem;
};

// Throws Error(Input) when `token` is unfit to guard the API: shorter than
// 16 characters, or holding spaces or control characters.
void check_token(const std::string& token);

// The paths handle() serves, for a router: exact paths, then prefixes
// (the rest of the path is the slug or id), each with a name for metrics.
struct Route {
  std::string path;
  bool prefix = false;
  std::string name;
};
[[nodiscard]] const std::vector<Route>& routes();

class ReadApi {
 public:
  // Opens no connection yet: the first request does.
  explicit ReadApi(Options options);
  ~ReadApi();
  ReadApi(const ReadApi&) = delete;
  ReadApi& operator=(const ReadApi&) = delete;

  [[nodiscard]] Response handle(const Request& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace soulstone::api
