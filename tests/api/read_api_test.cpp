// The read API against a seeded Soulstone database: every answer is checked
// with SQL run directly; then the token, bad parameters and a database that
// goes away.
#include "api/read_api.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "postgres_env.hpp"
#include "seeded_shop.hpp"

namespace soulstone::api {
namespace {

const std::string kToken = "0123456789abcdef-test-token";

const pg::ConnInfo& shop() {
  static const pg::ConnInfo database = soulstone::testing::seeded_shop(0.2);
  return database;
}

class ReadApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql_ = std::make_unique<pg::Connection>(pg::Connection::open(shop()));
    api_ = std::make_unique<ReadApi>(Options{.database = shop(),
                                             .token = kToken,
                                             .page_size = 7,
                                             .max_connections = 2,
                                             .problem = [this](const std::string& message) {
                                               std::lock_guard lock(mutex_);
                                               problems_.push_back(message);
                                             }});
  }

  Response call(const std::string& path, std::vector<std::pair<std::string, std::string>> params = {},
                std::string authorization = "Bearer " + kToken) {
    return api_->handle(
        {.path = path, .params = std::move(params), .authorization = std::move(authorization)});
  }
  nlohmann::json ok(const std::string& path, std::vector<std::pair<std::string, std::string>> params = {}) {
    Response response = call(path, std::move(params));
    EXPECT_EQ(response.status, 200) << path << ": " << response.body;
    return nlohmann::json::parse(response.body);
  }
  // The first column of every row, in order.
  std::vector<std::string> column(const std::string& query, const pg::Params& params = {}) {
    pg::Result result = sql_->exec(query, params);
    std::vector<std::string> out;
    for (int row = 0; row < result.rows(); ++row)
      out.emplace_back(result.get(row, 0));
    return out;
  }
  std::string value(const std::string& query, const pg::Params& params = {}) {
    auto values = column(query, params);
    return values.empty() ? "<no row>" : values.front();
  }
  // Every page of a listing, walked until the last, as one list of `key`.
  std::vector<std::string> walk(const std::string& path, const std::string& key,
                                std::vector<std::pair<std::string, std::string>> params = {}) {
    std::vector<std::string> out;
    for (int page = 1;; ++page) {
      auto with_page = params;
      with_page.emplace_back("page", std::to_string(page));
      nlohmann::json body = ok(path, with_page);
      EXPECT_EQ(body["page"], page);
      for (const auto& item : body["items"])
        out.push_back(item[key].get<std::string>());
      if (page >= body["pages"].get<int>()) break;
      EXPECT_EQ(body["items"].size(), 7u);  // every page but the last is full
    }
    return out;
  }

  std::unique_ptr<pg::Connection> sql_;
  std::unique_ptr<ReadApi> api_;
  std::mutex mutex_;
  std::vector<std::string> problems_;
};

TEST_F(ReadApiTest, ProductsAreTheActiveCatalogueNewestFirstPageByPage) {
  std::vector<std::string> expected =
      column("SELECT id FROM products WHERE status = 'ACTIVE' ORDER BY created_at DESC, id");
  ASSERT_GT(expected.size(), 20u);
  EXPECT_LT(expected.size(),
            std::stoul(value("SELECT count(*) FROM products")));  // drafts exist and are left out
  EXPECT_EQ(walk("/api/products", "id"), expected);

  nlohmann::json first = ok("/api/products");
  EXPECT_EQ(first["total"], expected.size());
  EXPECT_EQ(first["pages"], (expected.size() + 6) / 7);
  EXPECT_EQ(first["page_size"], 7);
  EXPECT_TRUE(first["collection"].is_null());
  const nlohmann::json& p = first["items"][0];
  pg::Result row = sql_->exec(
      "SELECT sku, slug, name, coalesce(description, '<null>'), price::text, currency, stock::text, "
      "attributes::text, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM products "
      "WHERE id = $1",
      {p["id"].get<std::string>()});
  EXPECT_EQ(p["sku"], row.get(0, 0));
  EXPECT_EQ(p["slug"], row.get(0, 1));
  EXPECT_EQ(p["name"], row.get(0, 2));
  EXPECT_EQ(p["description"].is_null() ? "<null>" : p["description"].get<std::string>(), row.get(0, 3));
  EXPECT_EQ(p["price"], row.get(0, 4));  // exact decimal text
  EXPECT_EQ(p["currency"], row.get(0, 5));
  EXPECT_EQ(std::to_string(p["stock"].get<int>()), row.get(0, 6));
  EXPECT_EQ(p["attributes"], nlohmann::json::parse(row.get(0, 7)));
  EXPECT_EQ(p["createdAt"].get<std::string>().substr(0, 19), row.get(0, 8));

  nlohmann::json beyond = ok("/api/products", {{"page", "100000"}});
  EXPECT_TRUE(beyond["items"].empty());
  EXPECT_EQ(beyond["total"], expected.size());
}

TEST_F(ReadApiTest, ProductsOfACollectionAreItsActiveProductsInTheSameOrder) {
  std::string slug = value("SELECT slug FROM collections ORDER BY position, slug OFFSET 1 LIMIT 1");
  std::vector<std::string> expected = column(
      "SELECT p.slug FROM \"_CollectionToProduct\" j JOIN products p ON p.id = j.\"B\" "
      "JOIN collections c ON c.id = j.\"A\" WHERE c.slug = $1 AND p.status = 'ACTIVE' "
      "ORDER BY p.created_at DESC, p.id",
      {slug});
  ASSERT_GT(expected.size(), 7u) << "the seed should give a collection more than one page";
  EXPECT_EQ(walk("/api/products", "slug", {{"collection", slug}}), expected);
  nlohmann::json body = ok("/api/products", {{"collection", slug}});
  EXPECT_EQ(body["collection"]["slug"], slug);
  EXPECT_EQ(body["collection"]["title"], value("SELECT title FROM collections WHERE slug = $1", {slug}));
  EXPECT_EQ(body["total"], expected.size());

  Response unknown = call("/api/products", {{"collection", "no-such-collection"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(nlohmann::json::parse(unknown.body)["error"]["message"], "no collection has this slug");
}

TEST_F(ReadApiTest, AProductBySlugHasItsCollectionsAndDraftsAreNotFound) {
  std::string slug = value(
      "SELECT p.slug FROM products p WHERE p.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM "
      "\"_CollectionToProduct\" "
      "j WHERE j.\"B\" = p.id) ORDER BY p.slug LIMIT 1");
  nlohmann::json product = ok("/api/products/" + slug);
  EXPECT_EQ(product["id"], value("SELECT id FROM products WHERE slug = $1", {slug}));
  std::vector<std::string> collections;
  for (const auto& c : product["collections"])
    collections.push_back(c["slug"].get<std::string>());
  EXPECT_EQ(collections,
            column("SELECT c.slug FROM \"_CollectionToProduct\" j JOIN collections c ON c.id = j.\"A\" "
                   "JOIN products p ON p.id = j.\"B\" WHERE p.slug = $1 ORDER BY c.position, c.slug",
                   {slug}));
  EXPECT_FALSE(collections.empty());

  std::string draft = value("SELECT slug FROM products WHERE status = 'DRAFT' ORDER BY slug LIMIT 1");
  ASSERT_NE(draft, "<no row>");
  EXPECT_EQ(call("/api/products/" + draft).status, 404);
  EXPECT_EQ(call("/api/products/no-such-product").status, 404);
}

TEST_F(ReadApiTest, CollectionsComeInPositionOrder) {
  EXPECT_EQ(walk("/api/collections", "slug"), column("SELECT slug FROM collections ORDER BY position, slug"));
  EXPECT_EQ(ok("/api/collections")["total"], std::stoi(value("SELECT count(*) FROM collections")));
}

TEST_F(ReadApiTest, AnOrderHasItsLinesAndPaymentsAsSqlSaysAndNoMore) {
  std::string id = value(
      "SELECT o.id FROM orders o WHERE (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) > 1 "
      "AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id) ORDER BY o.id LIMIT 1");
  nlohmann::json order = ok("/api/orders/" + id);
  pg::Result row = sql_->exec(
      "SELECT number::text, status::text, total::text, subtotal::text, email, shipping_address::text "
      "FROM orders WHERE id = $1",
      {id});
  EXPECT_EQ(order["id"], id);
  EXPECT_EQ(order["number"], row.get(0, 0));
  EXPECT_EQ(order["status"], row.get(0, 1));
  EXPECT_EQ(order["total"], row.get(0, 2));
  EXPECT_EQ(order["subtotal"], row.get(0, 3));
  EXPECT_EQ(order["email"], row.get(0, 4));
  EXPECT_EQ(order["shippingAddress"], nlohmann::json::parse(row.get(0, 5)));
  std::vector<std::string> lines;
  for (const auto& item : order["items"])
    lines.push_back(item["id"].get<std::string>() + " " + item["sku"].get<std::string>() + " " +
                    item["lineTotal"].get<std::string>());
  EXPECT_EQ(lines, column("SELECT id || ' ' || sku || ' ' || line_total FROM order_items WHERE order_id = $1 "
                          "ORDER BY id",
                          {id}));
  std::vector<std::string> payments;
  for (const auto& payment : order["payments"])
    payments.push_back(payment["provider"].get<std::string>() + " " + payment["amount"].get<std::string>());
  EXPECT_EQ(payments, column("SELECT provider || ' ' || amount FROM payments WHERE order_id = $1 "
                             "ORDER BY created_at, id",
                             {id}));
  // What support tools read from the database stays there.
  for (const char* hidden : {"placedFromIp", "customerNote"})
    EXPECT_FALSE(order.contains(hidden)) << hidden;
  EXPECT_FALSE(order["payments"][0].contains("rawResponse"));
  EXPECT_FALSE(order["payments"][0].contains("providerRef"));

  EXPECT_EQ(call("/api/orders/00000000-0000-0000-0000-000000000000").status, 404);
}

TEST_F(ReadApiTest, TheTokenIsRequiredAndMustMatchExactly) {
  Response missing = call("/api/products", {}, "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(
      missing.headers,
      (std::vector<std::pair<std::string, std::string>>{{"WWW-Authenticate", "Bearer realm=\"soulstone\""}}));
  for (const std::string& wrong :
       std::vector<std::string>{"Bearer " + kToken.substr(0, kToken.size() - 1), "Bearer " + kToken + "x",
                                "Bearer " + kToken.substr(1), "Basic " + kToken, "Bearer", "Bearer  ", kToken,
                                "Bearer " + std::string(kToken.size(), 'a')}) {
    Response response = call("/api/products", {}, wrong);
    EXPECT_EQ(response.status, 401) << wrong;
    EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["message"], "the bearer token is not valid");
    EXPECT_EQ(response.body.find(kToken), std::string::npos);
  }
  // Before the route is even looked at: nothing is said about what exists.
  EXPECT_EQ(call("/api/orders/not-a-uuid", {}, "").status, 401);
  EXPECT_EQ(call("/api/products", {}, "bearer   " + kToken + " ").status, 200);  // scheme is case-insensitive

  EXPECT_THROW(ReadApi({.database = shop(), .token = "short"}), Error);
  EXPECT_THROW(ReadApi({.database = shop(), .token = "a token with spaces in it"}), Error);
}

TEST_F(ReadApiTest, BadParametersAre400sThatNameTheParameter) {
  auto message = [&](const std::string& path, std::vector<std::pair<std::string, std::string>> params) {
    Response response = call(path, std::move(params));
    EXPECT_EQ(response.status, 400) << path << " " << response.body;
    return nlohmann::json::parse(response.body)["error"]["message"].get<std::string>();
  };
  for (const char* page :
       {"0", "-1", "abc", "1.5", "", "1 OR 1=1", "1; DROP TABLE products", "99999999999", "+2"})
    EXPECT_EQ(
        message("/api/products", {{"page", page}}).rfind("query parameter 'page' must be a whole number", 0),
        0u)
        << page;
  EXPECT_EQ(message("/api/products", {{"sort", "price"}}),
            "unknown query parameter 'sort' (known: collection, page)");
  EXPECT_EQ(message("/api/products", {{"page", "1"}, {"page", "2"}}),
            "query parameter 'page' is given twice");
  EXPECT_EQ(message("/api/products", {{"collection", "bad\xff\xfe"}}),
            "query parameter 'collection' is not printable UTF-8 text");
  EXPECT_EQ(message("/api/products", {{"collection", "nul\x01"}}),
            "query parameter 'collection' is not printable UTF-8 text");
  EXPECT_EQ(message("/api/products/" + std::string(161, 'x'), {}),
            "the product's slug must be 1 to 160 characters of printable UTF-8");
  EXPECT_EQ(message("/api/products/x", {{"expand", "all"}}),
            "unknown query parameter 'expand': this endpoint takes none");
  EXPECT_EQ(message("/api/orders/1' OR '1'='1", {}), "an order id is a UUID (8-4-4-4-12 hexadecimal digits)");

  // SQL in a value is only a value: no such row, and nothing happened.
  std::string before = value("SELECT count(*) FROM products");
  EXPECT_EQ(call("/api/products", {{"collection", "x'; DROP TABLE products; --"}}).status, 404);
  EXPECT_EQ(call("/api/products/x' OR '1'='1").status, 404);
  EXPECT_EQ(call("/api/products/%' OR slug LIKE '%").status, 404);
  EXPECT_EQ(value("SELECT count(*) FROM products"), before);
  EXPECT_EQ(call("/api/nothing/here").status, 404);
  EXPECT_TRUE(problems_.empty());
}

TEST_F(ReadApiTest, ManyThreadsShareAFewConnections) {
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (call(i % 2 == 0 ? "/api/products" : "/api/collections").status == 200) ++good;
    });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(good, 60);
  // max_connections = 2: never more sessions than that.
  EXPECT_LE(std::stoi(value(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'soulstone-agent-api'")),
            2);
}

TEST_F(ReadApiTest, ADatabaseThatIsGoneIsA503WithoutDetailsAndTheApiRecovers) {
  pg::ConnInfo gone = shop();
  gone.set("port", std::to_string(pg::find_free_port()));
  gone.set("password", "s3cret-password");
  ReadApi api({.database = gone,
               .token = kToken,
               .connect_timeout_seconds = 2,
               .problem = [this](const std::string& m) {
                 std::lock_guard lock(mutex_);
                 problems_.push_back(m);
               }});
  Response response =
      api.handle({.path = "/api/collections", .params = {}, .authorization = "Bearer " + kToken});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"]["message"],
            "the database is unavailable or too slow; try again later");
  EXPECT_EQ(response.body.find("5432"), std::string::npos);
  EXPECT_EQ(response.body.find(gone.get("port").value()), std::string::npos);
  ASSERT_EQ(problems_.size(), 1u);
  EXPECT_EQ(problems_[0].find("s3cret-password"), std::string::npos) << problems_[0];
  EXPECT_NE(problems_[0].find("/api/collections"), std::string::npos) << problems_[0];

  // A statement cut off by the timeout is a 503 too; the next request gets a working session.
  pg::Connection locker = pg::Connection::open(shop());
  locker.exec("BEGIN; LOCK TABLE collections IN ACCESS EXCLUSIVE MODE");
  ReadApi slow({.database = shop(),
                .token = kToken,
                .max_connections = 1,
                .statement_timeout = std::chrono::milliseconds(300)});
  EXPECT_EQ(
      slow.handle({.path = "/api/collections", .params = {}, .authorization = "Bearer " + kToken}).status,
      503);
  locker.exec("ROLLBACK");
  EXPECT_EQ(
      slow.handle({.path = "/api/collections", .params = {}, .authorization = "Bearer " + kToken}).status,
      200);
}

}  // namespace
}  // namespace soulstone::api
