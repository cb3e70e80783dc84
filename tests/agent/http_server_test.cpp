// The malformed-request suite: what a scanner, a broken client or an
// attacker sends gets the right status and a JSON error, slow and oversized
// requests are cut off, nothing leaks, and the server keeps serving.
#include "agent/http_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "base/error.hpp"
#include "raw_http.hpp"

namespace soulstone::agent {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;
using testing::RawResponse;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    limits_.threads = 4;
    limits_.header_timeout = 600ms;
    limits_.idle_timeout = 600ms;
    limits_.read_timeout = 600ms;
    limits_.max_header_bytes = 8 * 1024;
    limits_.max_body_bytes = 1024;
    server_ = std::make_unique<HttpServer>(
        limits_, HttpHooks{.answered =
                               [this](const std::string& route, int status) {
                                 std::lock_guard lock(mutex_);
                                 answered_.push_back(route + " " + std::to_string(status));
                               },
                           .problem =
                               [this](const std::string& message) {
                                 std::lock_guard lock(mutex_);
                                 problems_.push_back(message);
                               }});
    server_->route("/healthz", "healthz",
                   [](const HttpRequest&) { return HttpResponse{.body = "{\"status\":\"ok\"}\n"}; });
    server_->route("/echo", "echo", [](const HttpRequest& request) {
      nlohmann::json params = nlohmann::json::object();
      for (const auto& [key, value] : request.params)
        params[key] = value;
      return HttpResponse{.body = nlohmann::json({{"params", params}})
                                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
    });
    server_->route("/down", "down", [](const HttpRequest&) {
      return HttpResponse{.status = 503, .body = "{\"ready\":false}\n"};
    });
    server_->route("/boom", "boom", [](const HttpRequest&) -> HttpResponse {
      throw Error(ErrorKind::Database, "connection to postgresql://admin:hunter2@db/prod failed");
    });
    port_ = server_->listen({"127.0.0.1", 0});
  }
  // The server's threads call the hooks: stop them before the members go.
  void TearDown() override { server_.reset(); }

  // A fresh connection: one request, one response.
  RawResponse ask(const std::string& raw) {
    RawClient client(port_);
    client.send(raw);
    auto response = client.response();
    EXPECT_TRUE(response.has_value()) << "no response to " << raw.substr(0, 80);
    return response.value_or(RawResponse{});
  }

  void expect_still_serving() {
    RawResponse ok = ask("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "{\"status\":\"ok\"}\n");
  }

  static void expect_json_error(const RawResponse& response, int status) {
    EXPECT_EQ(response.status, status) << response.head;
    EXPECT_TRUE(response.has_header("Content-Type: application/json")) << response.head;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << response.body;
    EXPECT_EQ(body["error"]["status"], status) << response.body;
    EXPECT_TRUE(body["error"]["message"].is_string());
  }

  HttpLimits limits_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> answered_;
  std::vector<std::string> problems_;
};

struct BadRequest {
  const char* why;
  std::string raw;
  int status;
};

TEST_F(HttpServerTest, AnswersMalformedRequestsWithTheRightStatusAndKeepsServing) {
  const BadRequest cases[] = {
      {"unknown path", "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404},
      {"path traversal", "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"encoded traversal", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"traversal inside a known path", "GET /healthz/../echo HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"dot segment", "GET /./healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"backslash", "GET /..%5c..%5cwindows HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"NUL byte", "GET /healthz%00.json HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"control character", "GET /health%0d%0aSet-Cookie:%20x HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"SQL in the path", "GET /healthz';DROP%20TABLE%20users;-- HTTP/1.1\r\nHost: x\r\n\r\n", 404},
      {"POST with bad JSON",
       "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 9\r\n\r\n{not json",
       405},
      {"DELETE", "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"PUT to an unknown path", "PUT /api/orders/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 405},
      {"unknown method", "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"garbage request line", "HELLO\r\n\r\n", 400},
      {"missing version", "GET /healthz\r\n\r\n", 400},
      {"binary noise", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400},
      {"request target too long", "GET /" + std::string(8300, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
      {"body over the limit", "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413},
      {"unreadable length", "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n", 413},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    expect_json_error(ask(c.raw), c.status);
  }
  expect_still_serving();
}

TEST_F(HttpServerTest, MethodNotAllowedNamesTheAllowedOnes) {
  RawResponse response = ask("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(response.status, 405);
  EXPECT_TRUE(response.has_header("Allow: GET, HEAD")) << response.head;
}

TEST_F(HttpServerTest, SqlMetacharactersInParametersAreJustText) {
  RawResponse response = ask(
      "GET /echo?collection=%27%20OR%201%3D1%3B%20DROP%20TABLE%20%22Product%22%3B--&page=1%27 HTTP/1.1\r\n"
      "Host: x\r\n\r\n");
  EXPECT_EQ(response.status, 200);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["params"]["collection"], "' OR 1=1; DROP TABLE \"Product\";--");
  EXPECT_EQ(body["params"]["page"], "1'");
  // Invalid percent-encoding and invalid UTF-8 are still answered.
  EXPECT_EQ(ask("GET /echo?x=%zz%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, HeadsOverTheLimitGet431AndTheConnectionCloses) {
  {
    RawClient client(port_);
    client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
    auto response = client.response();
    ASSERT_TRUE(response);
    expect_json_error(*response, 431);
    EXPECT_TRUE(response->has_header("Connection: close"));
    EXPECT_TRUE(client.closed());
  }
  {
    // Many small headers add up the same.
    std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 1000; ++i)
      raw += "X-H" + std::to_string(i) + ": v\r\n";
    expect_json_error(ask(raw + "\r\n"), 431);
  }
  {
    // A head that never ends is cut at the limit, not read forever.
    RawClient client(port_);
    std::string endless = "GET /healthz HTTP/1.1\r\nX-Endless: ";
    client.send(endless);
    std::string chunk(4096, 'e');
    for (int i = 0; i < 64 && client.send(chunk); ++i) {
    }
    auto response = client.response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 431);
  }
  expect_still_serving();
}

TEST_F(HttpServerTest, SlowClientsAreCutOffWith408) {
  {
    // Half a request line, then silence.
    RawClient client(port_);
    client.send("GET /healthz HTTP/1.1\r\n");
    auto began = std::chrono::steady_clock::now();
    auto response = client.response(3s);
    ASSERT_TRUE(response);
    expect_json_error(*response, 408);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 2s);
    EXPECT_TRUE(client.closed());
  }
  {
    // A byte every 100 ms: each read is quick, the head as a whole is not.
    RawClient client(port_);
    std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 's') + "\r\n\r\n";
    auto began = std::chrono::steady_clock::now();
    for (char c : raw) {
      if (!client.send(std::string_view(&c, 1))) break;
      std::this_thread::sleep_for(100ms);
      if (std::chrono::steady_clock::now() - began > 3s) break;
    }
    auto response = client.response(1s);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 408);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 3s);
  }
  {
    // Connected and silent: closed without a word after the timeout.
    RawClient client(port_);
    EXPECT_TRUE(client.closed(3s));
  }
  expect_still_serving();
}

TEST_F(HttpServerTest, SlowClientsDoNotStopOthersFromBeingServed) {
  // As many silent connections as there are worker threads.
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < limits_.threads; ++i) {
    idle.push_back(std::make_unique<RawClient>(port_));
    idle.back()->send("GET /healthz HTTP/1.1\r\n");
  }
  auto began = std::chrono::steady_clock::now();
  expect_still_serving();  // served once the head timeout frees a worker
  EXPECT_LT(std::chrono::steady_clock::now() - began, limits_.header_timeout + 1s);
}

TEST_F(HttpServerTest, HandlerExceptionsAreA500WithoutTheirText) {
  RawResponse response = ask("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
  expect_json_error(response, 500);
  EXPECT_EQ(response.head.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body.find("postgresql"), std::string::npos);
  EXPECT_EQ(response.head.find("EXCEPTION"), std::string::npos) << response.head;
  std::lock_guard lock(mutex_);
  ASSERT_EQ(problems_.size(), 1U);
  EXPECT_NE(problems_[0].find("boom"), std::string::npos);
}

TEST_F(HttpServerTest, HandlerStatusesAndBodiesPassThrough) {
  RawResponse response = ask("GET /down HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, "{\"ready\":false}\n");
  RawClient client(port_);
  client.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = client.response(std::chrono::seconds(5), true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->has_header("Content-Length: 16")) << head->head;
}

TEST_F(HttpServerTest, KeepsConnectionsAliveAndAnswersPipelinedRequestsInOrder) {
  RawClient client(port_);
  client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /down HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = client.response();
  auto second = client.response();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(second->status, 503);
  client.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  auto third = client.response();
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 404);
  client.send("GET /healthz HTTP/1.0\r\n\r\n");  // HTTP/1.0 without Host: fine, then closed
  auto fourth = client.response();
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->status, 200);
  EXPECT_TRUE(client.closed());
}

TEST_F(HttpServerTest, CountsEveryAnswerByRoute) {
  (void)ask("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  (void)ask("GET /random-scanner-path HTTP/1.1\r\nHost: x\r\n\r\n");
  (void)ask("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n");
  // The count is taken just after the response is sent: give it a moment.
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(mutex_);
      if (answered_.size() >= 3) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  std::lock_guard lock(mutex_);
  std::sort(answered_.begin(), answered_.end());
  EXPECT_EQ(answered_, (std::vector<std::string>{"healthz 200", "other 404", "other 431"}));
}

TEST_F(HttpServerTest, StopsPromptlyWithConnectionsOpen) {
  RawClient idle(port_);
  idle.send("GET /healthz HTTP/1.1\r\n");
  auto began = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - began, 1s);
}

TEST(HttpServer, RefusesAnAddressInUse) {
  HttpServer first({}, {});
  int port = first.listen({"127.0.0.1", 0});
  HttpServer second({}, {});
  try {
    (void)second.listen({"127.0.0.1", port});
    ADD_FAILURE() << "bound a port in use";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot listen on 127.0.0.1:" + std::to_string(port)),
              std::string::npos);
  }
}

}  // namespace
}  // namespace soulstone::agent
