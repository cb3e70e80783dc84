// The read API served by a serve-only agent on a seeded Soulstone database,
// over real sockets: the malformed-request suite aimed at /api/... (bad
// JSON, huge heads, path traversal, SQL metacharacters, slow clients) gets
// the right statuses with JSON errors, leaks no token, changes no data, and
// leaves the agent serving; /metrics counts the API's answers by route.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent/agent.hpp"
#include "pg/connection.hpp"
#include "raw_http.hpp"
#include "seeded_shop.hpp"

namespace soulstone::agent {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;
using testing::RawResponse;

const std::string kToken = "agent-api-test-token-0123456789";

const pg::ConnInfo& shop() {
  static const pg::ConnInfo database = soulstone::testing::seeded_shop(0.1);
  return database;
}

class AgentApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.listen = "127.0.0.1:0";
    config_.serve_only = true;
    config_.api_token = kToken;
    config_.http.threads = 3;
    config_.http.header_timeout = 700ms;
    config_.http.idle_timeout = 700ms;
    config_.http.max_header_bytes = 8 * 1024;
    config_.migrations = SOULSTONE_SOURCE_DIR "/apps/api/prisma/migrations";
    agent_ = std::make_unique<Agent>(config_, shop(), AgentDependencies{.log = &log_});
    agent_->start();
    port_ = agent_->http_port();
    sql_ = std::make_unique<pg::Connection>(pg::Connection::open(shop()));
  }
  void TearDown() override {
    agent_->stop();
    EXPECT_TRUE(agent_->wait(5s));
    std::lock_guard lock(mutex_);
    for (const auto& line : lines_)
      EXPECT_EQ(line.find(kToken), std::string::npos) << "the token reached the log: " << line;
  }

  RawResponse ask(const std::string& raw) {
    RawClient client(port_);
    client.send(raw);
    auto response = client.response(3s);
    EXPECT_TRUE(response) << raw.substr(0, 80);
    return response.value_or(RawResponse{});
  }
  RawResponse get(const std::string& target, bool with_token = true) {
    return ask("GET " + target + " HTTP/1.1\r\nHost: agent\r\n" +
               (with_token ? "Authorization: Bearer " + kToken + "\r\n" : "") + "\r\n");
  }
  void expect_json_error(const RawResponse& response, int status) {
    EXPECT_EQ(response.status, status) << response.head << response.body;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body;
    EXPECT_EQ(body["error"]["status"], status);
    EXPECT_TRUE(body["error"]["message"].is_string());
    EXPECT_TRUE(response.has_header("Content-Type: application/json")) << response.head;
    EXPECT_EQ(response.body.find(kToken), std::string::npos);
    EXPECT_EQ(response.body.find("postgresql://"), std::string::npos);
  }
  std::string products_total() {
    RawResponse response = get("/api/products");
    EXPECT_EQ(response.status, 200) << response.body;
    return nlohmann::json::parse(response.body)["total"].dump();
  }

  AgentConfig config_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
  Log log_{false, [this](const std::string& line) {
             std::lock_guard lock(mutex_);
             lines_.push_back(line);
           }};
  std::unique_ptr<Agent> agent_;
  int port_ = 0;
  std::unique_ptr<pg::Connection> sql_;
};

TEST_F(AgentApiTest, ServesTheReadApiBehindItsTokenAndReadinessWithoutAStore) {
  EXPECT_EQ(products_total(),
            std::string(sql_->exec("SELECT count(*) FROM products WHERE status = 'ACTIVE'").get(0, 0)));
  std::string order(sql_->exec("SELECT id FROM orders ORDER BY id LIMIT 1").get(0, 0));
  RawResponse response = get("/api/orders/" + order);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body)["id"], order);
  EXPECT_TRUE(response.has_header("Cache-Control: no-store")) << response.head;

  RawResponse refused = get("/api/orders/" + order, false);
  expect_json_error(refused, 401);
  EXPECT_TRUE(refused.has_header("WWW-Authenticate: Bearer realm=\"soulstone\"")) << refused.head;
  // HEAD is answered like GET, without a body.
  RawClient head(port_);
  head.send("HEAD /api/collections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken + "\r\n\r\n");
  auto head_response = head.response(3s, true);
  ASSERT_TRUE(head_response);
  EXPECT_EQ(head_response->status, 200);

  // Serve-only: no store, so the backup checks are unavailable, not failed.
  RawResponse readyz = get("/readyz", false);
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  auto checks = nlohmann::json::parse(readyz.body)["checks"];
  EXPECT_EQ(checks[0]["status"], "pass");
  EXPECT_EQ(checks[1]["name"], "migrations");
  EXPECT_EQ(checks[1]["status"], "pass");
  EXPECT_EQ(checks[1]["detail"], "all 2 migrations of " + config_.migrations + " are applied");
  EXPECT_EQ(checks[2]["name"], "backup_age");
  EXPECT_EQ(checks[2]["status"], "unavailable");
  auto index = nlohmann::json::parse(get("/", false).body);
  EXPECT_NE(index["endpoints"].dump().find("/api/orders/{id}"), std::string::npos) << index.dump();

  std::this_thread::sleep_for(100ms);  // answers are counted just after they are sent
  std::string metrics = get("/metrics", false).body;
  EXPECT_NE(metrics.find("soulstone_agent_http_requests_total{code=\"200\",route=\"api_products\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("soulstone_agent_http_requests_total{code=\"401\",route=\"api_order\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(agent_->metrics().counter("job_runs", {{"job", "backup"}, {"result", "success"}}), 0);
}

TEST_F(AgentApiTest, MalformedRequestsGetTheRightStatusAndLeaveTheAgentServing) {
  const std::string before = products_total();
  const std::string auth = "Authorization: Bearer " + kToken + "\r\n";
  struct Case {
    const char* why;
    std::string raw;
    int status;
  };
  const Case cases[] = {
      {"POST with bad JSON",
       "POST /api/products HTTP/1.1\r\nHost: x\r\n" + auth +
           "Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"name\": [}",
       405},
      {"GET with a bad JSON body",
       "GET /api/products HTTP/1.1\r\nHost: x\r\n" + auth +
           "Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{{{{{",
       200},
      {"DELETE an order",
       "DELETE /api/orders/00000000-0000-0000-0000-000000000000 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
       405},
      {"path traversal", "GET /api/products/../../../etc/passwd HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
       400},
      {"encoded traversal",
       "GET /api/products/%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400},
      {"encoded slash in a slug", "GET /api/products/a%2fb HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 404},
      {"NUL in a slug", "GET /api/products/shirt%00.json HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400},
      {"SQL in a slug",
       "GET /api/products/x%27%20OR%20%271%27%3D%271 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 404},
      {"SQL in a collection",
       "GET /api/products?collection=%27%3B%20DROP%20TABLE%20products%3B-- HTTP/1.1\r\nHost: x\r\n" + auth +
           "\r\n",
       404},
      {"SQL in page", "GET /api/products?page=1%20OR%201%3D1 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400},
      {"SQL in an order id",
       "GET /api/orders/1%27%20OR%20%271%27%3D%271 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400},
      {"invalid UTF-8 in a parameter",
       "GET /api/products?collection=%ff%fe HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400},
      {"unknown parameter", "GET /api/collections?limit=1000000 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
       400},
      {"huge page", "GET /api/products?page=100000000000000000000 HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
       400},
      {"unknown endpoint", "GET /api/users HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 404},
      {"huge header",
       "GET /api/products HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: " + std::string(20000, 'b') + "\r\n\r\n",
       431},
      {"huge token",
       "GET /api/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(9000, 't') +
           "\r\n\r\n",
       431},
      {"target too long",
       "GET /api/products/" + std::string(8300, 's') + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 414},
      {"body too large",
       "GET /api/products HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 10000000\r\n\r\n", 413},
      {"wrong token",
       "GET /api/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken + "x\r\n\r\n", 401},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    RawResponse response = ask(c.raw);
    if (c.status == 200) {
      EXPECT_EQ(response.status, 200) << response.body;
    } else {
      expect_json_error(response, c.status);
    }
  }

  // Slow clients: half a head, then silence; a byte at a time.
  {
    RawClient slow(port_);
    slow.send("GET /api/products HTTP/1.1\r\n" + auth);
    auto response = slow.response(3s);
    ASSERT_TRUE(response);
    expect_json_error(*response, 408);
  }
  std::vector<std::unique_ptr<RawClient>> silent;
  for (int i = 0; i < config_.http.threads; ++i) {
    silent.push_back(std::make_unique<RawClient>(port_));
    silent.back()->send("GET /api/collections HTTP/1.1\r\n");
  }
  auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(products_total(), before);  // served once a slow client is cut off
  EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);

  // Nothing changed, nothing leaked, and nothing was a 500.
  EXPECT_EQ(products_total(), before);
  std::string metrics = get("/metrics", false).body;
  EXPECT_EQ(metrics.find("code=\"500\""), std::string::npos) << metrics;
}

TEST_F(AgentApiTest, ReadyzTurnsRedWhenTheMigrationHistoryDisagreesWithTheFolder) {
  EXPECT_EQ(get("/readyz", false).status, 200);
  pg::Result last =
      sql_->exec("SELECT migration_name, checksum FROM _prisma_migrations ORDER BY started_at DESC LIMIT 1");
  std::string name(last.get(0, 0)), checksum(last.get(0, 1));
  sql_->exec("UPDATE _prisma_migrations SET checksum = md5(checksum) WHERE migration_name = $1", {name});
  std::this_thread::sleep_for(1100ms);  // past the one-second cache
  RawResponse readyz = get("/readyz", false);
  sql_->exec("UPDATE _prisma_migrations SET checksum = $2 WHERE migration_name = $1", {name, checksum});
  EXPECT_EQ(readyz.status, 503);
  auto check = nlohmann::json::parse(readyz.body)["checks"][1];
  EXPECT_EQ(check["status"], "fail");
  EXPECT_EQ(check["detail"], name + " was edited after it was applied: run soulstone migrate status");
}

TEST(AgentApiOff, WithoutATokenTheApiSaysItIsOff) {
  AgentConfig config;
  config.listen = "127.0.0.1:0";
  config.serve_only = true;
  Log quiet{false, [](const std::string&) {}};
  Agent agent(config, shop(), {.log = &quiet});
  agent.start();
  RawClient client(agent.http_port());
  client.send("GET /api/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer whatever-it-is-long\r\n\r\n");
  auto response = client.response(3s);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_NE(response->body.find("the read API is off: no token is configured"), std::string::npos)
      << response->body;
  agent.stop();
  EXPECT_TRUE(agent.wait(5s));
}

}  // namespace
}  // namespace soulstone::agent
