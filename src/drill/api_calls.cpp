// The api phase: the read API of an agent started on the restored copy,
// called as the shop's services call it, with every answer compared with
// SQL run on the copy. The agent is our own binary (`soulstone agent
// --serve-only`), started through pg::spawn with an argv array; the copy's
// URL and a one-off token reach it through its environment, never its
// command line (which `ps` shows to every user).

#include <curl/curl.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "drill/phases.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::drill::internal {

namespace {

using Clock = std::chrono::steady_clock;

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw Error(ErrorKind::Failure, "cannot draw random bytes (OpenSSL)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 0xF];
  }
  return token;
}

// The agent child: started, its port read from its first log lines, and
// stopped with SIGTERM (SIGKILL by Child's destructor if it will not stop).
class AgentProcess {
 public:
  AgentProcess(const Options& options, const pg::ConnInfo& copy, const std::string& token)
      : child_(pg::spawn(command(options, copy, token),
                         {.in = pg::Stdio::Null, .out = pg::Stdio::Null, .err = pg::Stdio::Pipe})) {}
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;
  ~AgentProcess() { stop(); }

  // The port from the agent's "listening" line; 0 when it exited or did not
  // listen in time (log() then says why).
  int wait_for_port(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      std::size_t newline;
      while ((newline = pending_.find('\n')) != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        log_ += line + "\n";
        auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_object() && event.contains("port") && event["port"].is_number_integer())
          return event["port"].get<int>();
      }
      if (!read_some(deadline)) return 0;
    }
    return 0;
  }

  void stop() {
    if (stopped_) return;
    stopped_ = true;
    child_.kill(SIGTERM);
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      if (child_.try_wait()) return;
      (void)read_some(Clock::now() + std::chrono::milliseconds(50));  // keep its stderr flowing
    }
  }

  // What the agent wrote to stderr so far (it never logs the token or a password).
  [[nodiscard]] std::string log() const { return log_ + pending_; }

 private:
  static pg::Command command(const Options& options, const pg::ConnInfo& copy, const std::string& token) {
    pg::Command command{
        .argv = {options.agent_binary.string(), "agent", "--serve-only", "--json", "--listen", "127.0.0.1:0"},
        .env = {{"DATABASE_URL", copy.url()}, {"SOULSTONE_API_TOKEN", token}},
        .cwd = {}};
    if (!options.agent_config.empty()) {
      command.argv.push_back("--config");
      command.argv.push_back(options.agent_config.string());
    }
    return command;
  }

  // False at end of file, on error or at the deadline.
  bool read_some(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || !child_.stderr_pipe().valid()) return false;
    pollfd fd{child_.stderr_pipe().get(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(left)) <= 0) return false;
    char buffer[4096];
    ssize_t got = ::read(fd.fd, buffer, sizeof buffer);
    if (got <= 0) {
      child_.stderr_pipe().reset();
      return false;
    }
    pending_.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  pg::Child child_;
  std::string pending_;
  std::string log_;
  bool stopped_ = false;
};

struct CurlDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  auto& body = *static_cast<std::string*>(out);
  if (body.size() < (8u << 20)) body.append(data, size * count);  // answers are small; cap a runaway
  return size * count;
}

struct Answer {
  int status = 0;
  std::string body;
  std::string error;  // why there was no answer
  nlohmann::json json;
};

class Caller {
 public:
  Caller(int port, std::string token, std::chrono::milliseconds timeout, std::vector<ApiCall>& calls)
      : base_("http://127.0.0.1:" + std::to_string(port)),
        token_(std::move(token)),
        timeout_(timeout),
        calls_(calls) {}

  Answer get(const std::string& path, bool with_token = true) {
    Answer answer;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
      answer.error = "cannot start libcurl";
      return answer;
    }
    std::unique_ptr<curl_slist, HeaderListDeleter> headers;
    if (with_token) headers.reset(curl_slist_append(nullptr, ("Authorization: Bearer " + token_).c_str()));
    char error[CURL_ERROR_SIZE] = {};
    std::string url = base_ + path;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    auto started = Clock::now();
    CURLcode code = curl_easy_perform(curl.get());
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    answer.status = code == CURLE_OK ? static_cast<int>(status) : 0;
    if (code != CURLE_OK) answer.error = error[0] != '\0' ? error : curl_easy_strerror(code);
    answer.json = nlohmann::json::parse(answer.body, nullptr, false);
    calls_.push_back({.method = "GET", .path = path, .status = answer.status, .milliseconds = ms});
    last_ms_ = ms;
    return answer;
  }
  [[nodiscard]] double last_ms() const noexcept { return last_ms_; }

 private:
  std::string base_;
  std::string token_;
  std::chrono::milliseconds timeout_;
  std::vector<ApiCall>& calls_;
  double last_ms_ = 0;
};

// Percent-encodes a slug for a path segment or a query value.
std::string encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// One check per call: the status, then what `expect` finds wrong with the
// body ("" when nothing).
Check judge(Caller& caller, const std::string& path, int status, const std::string& what,
            const std::function<std::string(const nlohmann::json&)>& expect, bool with_token = true) {
  Answer answer = caller.get(path, with_token);
  Check check{.phase = "api", .name = "GET " + path};
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.1f ms", caller.last_ms());
  std::string problem;
  if (answer.status == 0) {
    problem = "no answer: " + answer.error;
  } else if (answer.status != status) {
    problem = "answered HTTP " + std::to_string(answer.status) + ", expected " + std::to_string(status);
  } else if (!answer.json.is_object()) {
    problem = "the body is not a JSON object";
  } else if (expect) {
    problem = expect(answer.json);
  }
  check.status = problem.empty() ? Status::Passed : Status::Failed;
  check.detail = problem.empty() ? "HTTP " + std::to_string(answer.status) + " in " + latency + ": " + what
                                 : problem + " (" + latency + ")";
  if (!problem.empty()) check.issues.push_back("read API " + check.name + ": " + problem);
  return check;
}

std::string single(pg::Connection& db, const std::string& sql, const pg::Params& params = {}) {
  pg::Result result = db.exec(sql, params);
  return result.rows() > 0 && !result.is_null(0, 0) ? std::string(result.get(0, 0)) : std::string();
}

std::string expect_equal(const nlohmann::json& body, const char* key, const std::string& want) {
  if (!body.contains(key)) return std::string("the body has no ") + key;
  std::string got = body[key].is_string() ? body[key].get<std::string>() : body[key].dump();
  return got == want ? "" : std::string(key) + " is " + got + ", SQL on the copy says " + want;
}

}  // namespace

std::vector<Check> check_read_api(const pg::ConnInfo& restored, const Options& options,
                                  std::vector<ApiCall>& calls) {
  Check skipped{.phase = "api", .name = "read API", .status = Status::Skipped};
  if (options.agent_binary.empty()) {
    skipped.detail = "no agent to start (the drill runs it from the soulstone binary)";
    return {skipped};
  }
  pg::Connection db = pg::Connection::open(restored);
  for (const char* table : {"public.products", "public.collections", "public.orders", "public.order_items"}) {
    if (db.exec("SELECT to_regclass($1)", {std::string(table)}).is_null(0, 0)) {
      skipped.detail = std::string("the copy has no table ") + table + ": not the Soulstone shop's schema";
      return {skipped};
    }
  }
  // What the answers must say, from the copy itself.
  const std::string active = single(db, "SELECT count(*) FROM products WHERE status = 'ACTIVE'");
  const std::string newest =
      single(db, "SELECT slug FROM products WHERE status = 'ACTIVE' ORDER BY created_at DESC, id LIMIT 1");
  const std::string collections = single(db, "SELECT count(*) FROM collections");
  const std::string collection = single(db, "SELECT slug FROM collections ORDER BY position, slug LIMIT 1");
  const std::string in_collection =
      collection.empty()
          ? "0"
          : single(db,
                   "SELECT count(*) FROM \"_CollectionToProduct\" j JOIN products p ON p.id = j.\"B\" "
                   "JOIN collections c ON c.id = j.\"A\" WHERE c.slug = $1 AND p.status = 'ACTIVE'",
                   {collection});
  const std::string order = single(db, "SELECT id FROM orders ORDER BY placed_at DESC, id LIMIT 1");
  const std::string order_lines =
      order.empty() ? "0" : single(db, "SELECT count(*) FROM order_items WHERE order_id = $1", {order});

  std::string token = random_token();
  AgentProcess agent(options, restored, token);
  int port = agent.wait_for_port(options.api_timeout);
  if (port == 0) {
    agent.stop();
    std::string log = pg::redact(agent.log());
    if (log.size() > 600) log = "..." + log.substr(log.size() - 600);
    Check failed{
        .phase = "api",
        .name = "read API",
        .status = Status::Failed,
        .detail = "the agent did not start listening on the copy: " + (log.empty() ? "(no output)" : log)};
    failed.issues.push_back(failed.detail);
    return {failed};
  }

  Caller caller(port, token, options.api_timeout, calls);
  std::vector<Check> checks;
  checks.push_back(judge(caller, "/healthz", 200, "the agent is up", nullptr));
  checks.push_back(judge(caller, "/api/products", 401, "refused without the token", nullptr, false));
  checks.push_back(judge(caller, "/api/products", 200, active + " active products, as in SQL",
                         [&](const nlohmann::json& body) { return expect_equal(body, "total", active); }));
  if (!newest.empty())
    checks.push_back(judge(caller, "/api/products/" + encoded(newest), 200, "the newest active product",
                           [&](const nlohmann::json& body) { return expect_equal(body, "slug", newest); }));
  checks.push_back(
      judge(caller, "/api/collections", 200, collections + " collections, as in SQL",
            [&](const nlohmann::json& body) { return expect_equal(body, "total", collections); }));
  if (!collection.empty())
    checks.push_back(
        judge(caller, "/api/products?collection=" + encoded(collection), 200,
              in_collection + " active products in " + collection + ", as in SQL",
              [&](const nlohmann::json& body) { return expect_equal(body, "total", in_collection); }));
  if (!order.empty())
    checks.push_back(
        judge(caller, "/api/orders/" + order, 200, "the latest order with its " + order_lines + " line(s)",
              [&](const nlohmann::json& body) {
                std::string id = expect_equal(body, "id", order);
                if (!id.empty()) return id;
                std::size_t lines = body.contains("items") ? body["items"].size() : 0;
                return std::to_string(lines) == order_lines
                           ? std::string()
                           : "the order has " + std::to_string(lines) + " line(s), SQL says " + order_lines;
              }));
  agent.stop();
  return checks;
}

}  // namespace soulstone::drill::internal
