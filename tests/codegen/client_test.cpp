// The client generated for the Soulstone schema, against a database that
// holds the schema and data: every answer is checked with SQL run directly.

#include "client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "pg/connection.hpp"
#include "soulstone_fixture.hpp"

namespace soulstone {
namespace {

namespace db = ::soulstone_db;
using client::Decimal;

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql_ = std::make_unique<pg::Connection>(pg::Connection::open(testing::soulstone_database()));
    client_ = std::make_unique<db::Client>(*sql_);
  }

  // The first column of every row of a query, in order.
  std::vector<std::string> column(const std::string& query, const pg::Params& params = {}) {
    pg::Result result = sql_->exec(query, params);
    std::vector<std::string> out;
    for (int row = 0; row < result.rows(); ++row)
      out.emplace_back(result.get(row, 0));
    return out;
  }
  std::string value(const std::string& query, const pg::Params& params = {}) {
    std::vector<std::string> values = column(query, params);
    return values.empty() ? "<no row>" : values.front();
  }

  std::unique_ptr<pg::Connection> sql_;
  std::unique_ptr<db::Client> client_;
};

template <class Row>
std::vector<std::string> ids(const std::vector<Row>& rows) {
  std::vector<std::string> out;
  for (const Row& row : rows)
    out.push_back(row.id);
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  return values;
}

TEST_F(ClientTest, FindUniqueByIdByUniqueFieldAndByCompositeKeys) {
  std::string id = value("SELECT id FROM users WHERE email = 'user7@example.com'");
  std::optional<db::User> user = client_->user().find_unique(db::UserByEmail{"user7@example.com"});
  ASSERT_TRUE(user);
  EXPECT_EQ(user->id, id);
  EXPECT_EQ(user->fullName, value("SELECT full_name FROM users WHERE id = $1", {id}));
  EXPECT_EQ(user->displayName, std::optional<std::string>("u7"));
  EXPECT_EQ(user->role, db::Role::CUSTOMER);
  EXPECT_EQ(client::encode(*user->lastLoginAt),
            value("SELECT to_char(last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US+00') FROM "
                  "users WHERE id = $1",
                  {id}));
  EXPECT_EQ(client_->user().find_unique(db::UserById{id})->email, "user7@example.com");
  EXPECT_FALSE(client_->user().find_unique(db::UserByEmail{"nobody@example.com"}));

  std::string cart = value("SELECT id FROM carts WHERE session_token = 'session-2'");
  std::string product = value("SELECT id FROM products WHERE sku = 'SKU-0003'");
  auto item = client_->cartItem().find_unique(db::CartItemByCartIdProductId{cart, product});
  ASSERT_TRUE(item);
  EXPECT_EQ(item->quantity, 5);
  EXPECT_EQ(std::to_string(item->quantity),
            value("SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2", {cart, product}));

  auto payment =
      client_->payment().find_unique(db::PaymentByProviderProviderRef{db::PaymentProvider::STRIPE, "ref-4"});
  ASSERT_TRUE(payment);
  EXPECT_EQ(payment->id,
            value("SELECT id FROM payments WHERE provider = 'stripe' AND provider_ref = 'ref-4'"));
  EXPECT_EQ(payment->amount, Decimal("55.30"));
  EXPECT_EQ(payment->amountMinor, 5530);
  EXPECT_EQ(payment->rawResponse, nlohmann::json({{"ok", true}, {"n", 4}}));
}

TEST_F(ClientTest, FiltersOnEveryKindOfFieldMatchSql) {
  using Filter = db::UserWhere;
  auto users = client_->user().find_many({.where = Filter{
                                              .email = {.ends_with = "0@example.com"},
                                              .role = {.in = std::vector{db::Role::ADMIN, db::Role::STAFF}},
                                          }});
  EXPECT_EQ(sorted(ids(users)), column("SELECT id FROM users WHERE email LIKE '%0@example.com' "
                                       "AND role IN ('ADMIN', 'STAFF') ORDER BY id"));
  EXPECT_FALSE(users.empty());

  auto never_logged_in = client_->user().find_many({.where = {.lastLoginAt = {.is_null = true}}});
  EXPECT_EQ(sorted(ids(never_logged_in)),
            column("SELECT id FROM users WHERE last_login_at IS NULL ORDER BY id"));

  auto either = client_->user().find_many(
      {.where = {.OR = {Filter{.displayName = {.is_null = true}}, Filter{.marketingOptIn = {.equals = true}}},
                 .NOT = {Filter{.fullName = {.contains = "USER 1", .insensitive = true}}}}});
  EXPECT_EQ(sorted(ids(either)),
            column("SELECT id FROM users WHERE (display_name IS NULL OR marketing_opt_in) "
                   "AND NOT full_name ILIKE '%user 1%' ORDER BY id"));

  auto pricey = client_->product().find_many(
      {.where = {.description = {.contains = "50%"},
                 .status = {.not_equals = db::ProductStatus::DRAFT},
                 .price = {.lte = Decimal("1000000030.00"), .gt = Decimal("1000000010.00")},
                 .attributes = {.equals = nlohmann::json({{"color", "red"}, {"size", 10}})},
                 .createdAt = {.lt = client::parse_datetime("2024-02-01 00:25:00+00").value()}}});
  EXPECT_EQ(ids(pricey),
            column("SELECT id FROM products WHERE status <> 'DRAFT' AND price > 1000000010 "
                   "AND price <= 1000000030 AND description LIKE '%50\\%%' AND created_at < "
                   "'2024-02-01 00:25:00+00' AND attributes = '{\"color\": \"red\", \"size\": 10}' "
                   "ORDER BY id"));
  ASSERT_EQ(pricey.size(), 1u);
  EXPECT_EQ(pricey[0].price.to_string(), "1000000012.50");  // exact: never through a double

  auto news = client_->article().find_many({.where = {.tags = {.has = "news"}}});
  EXPECT_EQ(sorted(ids(news)), column("SELECT id FROM articles WHERE 'news' = ANY(tags) ORDER BY id"));
  EXPECT_EQ(news.size(), 5u);
  EXPECT_EQ(client_->user().count({.role = {.equals = db::Role::ADMIN}}),
            std::stoll(value("SELECT count(*) FROM users WHERE role = 'ADMIN'")));
  EXPECT_EQ(client_->order().count(), 120);
}

TEST_F(ClientTest, OrderTakeSkipAndCursorPagesWalkTheSameRowsAsSql) {
  std::vector<std::string> expected = column(
      "SELECT id FROM users ORDER BY last_login_at DESC, created_at, id");  // NULLs first when descending
  std::vector<db::UserOrderBy> order{{db::UserField::lastLoginAt, client::Sort::Desc},
                                     {db::UserField::createdAt, client::Sort::Asc}};
  auto page = client_->user().find_many(
      {.order_by = {{db::UserField::email, client::Sort::Desc}}, .skip = 5, .take = 10});
  EXPECT_EQ(ids(page), column("SELECT id FROM users ORDER BY email DESC LIMIT 10 OFFSET 5"));

  std::vector<std::string> walked;
  std::optional<db::UserUnique> cursor;
  for (int pages = 0; pages < 20; ++pages) {
    auto rows =
        client_->user().find_many({.order_by = order, .cursor = cursor, .skip = cursor ? 1 : 0, .take = 7});
    for (const db::User& user : rows)
      walked.push_back(user.id);
    if (rows.size() < 7) break;
    cursor = db::UserById{rows.back().id};
  }
  EXPECT_EQ(walked, expected);

  auto first = client_->user().find_first({.where = {.role = {.equals = db::Role::STAFF}},
                                           .order_by = {{db::UserField::email, client::Sort::Asc}}});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->email, value("SELECT email FROM users WHERE role = 'STAFF' ORDER BY email LIMIT 1"));
}

TEST_F(ClientTest, IncludesLoadEachRelationWithOneQuery) {
  std::uint64_t before = client_->session().statements();
  auto orders = client_->order().find_many({.where = {.status = {.equals = db::OrderStatus::PAID}},
                                            .include = {.user = true, .items = true, .payments = true}});
  EXPECT_EQ(client_->session().statements() - before, 4u);  // the orders, then one per relation
  ASSERT_EQ(orders.size(), 30u);
  for (const db::Order& order : orders) {
    std::string user = value("SELECT coalesce(user_id::text, '') FROM orders WHERE id = $1", {order.id});
    ASSERT_EQ(order.user.get() == nullptr, user.empty());
    if (!user.empty()) EXPECT_EQ(order.user.get()->id, user);
    std::vector<std::string> items;
    for (const db::OrderItem& item : order.items)
      items.push_back(std::to_string(item.id));
    EXPECT_EQ(sorted(items), sorted(column("SELECT id FROM order_items WHERE order_id = $1", {order.id})));
    EXPECT_EQ(order.payments.size(),
              std::stoul(value("SELECT count(*) FROM payments WHERE order_id = $1", {order.id})));
  }
  auto with_user =
      std::find_if(orders.begin(), orders.end(), [](const db::Order& o) { return o.user.get() != nullptr; });
  ASSERT_NE(with_user, orders.end());
  EXPECT_THROW((void)with_user->user.get()->carts.size(), std::logic_error);  // not included

  auto products = client_->product().find_many({.include = {.collections = true}});
  for (const db::Product& product : products) {
    std::vector<std::string> collections;
    for (const db::Collection& collection : product.collections)
      collections.push_back(collection.slug);
    EXPECT_EQ(sorted(collections), column("SELECT c.slug FROM \"_CollectionToProduct\" j JOIN collections c "
                                          "ON c.id = j.\"A\" WHERE j.\"B\" = $1 ORDER BY c.slug",
                                          {product.id}));
  }
  auto user =
      client_->user().find_unique(db::UserByEmail{"user3@example.com"}, {.carts = true, .orders = true});
  ASSERT_TRUE(user);
  EXPECT_EQ(sorted(ids(user->orders.rows())),
            column("SELECT id FROM orders WHERE user_id = $1 ORDER BY id", {user->id}));
  EXPECT_EQ(user->orders.size(), 3u);
  EXPECT_EQ(user->carts.size(), 1u);
}

TEST_F(ClientTest, CreateUpdateUpsertAndDeleteWriteWhatSqlReadsBack) {
  db::User created = client_->user().create({.email = "new@example.com", .fullName = "New Person"});
  EXPECT_EQ(created.role, db::Role::CUSTOMER);  // the database's default
  EXPECT_EQ(value("SELECT role::text || ',' || full_name || ',' || coalesce(display_name, '-') FROM users "
                  "WHERE id = $1",
                  {created.id}),
            "CUSTOMER,New Person,-");

  auto updated =
      client_->user().update(db::UserById{created.id},
                             {.displayName = std::optional<std::string>("Newbie"), .role = db::Role::STAFF});
  ASSERT_TRUE(updated);
  EXPECT_EQ(value("SELECT display_name || ',' || role::text FROM users WHERE id = $1", {created.id}),
            "Newbie,STAFF");
  EXPECT_GE(updated->updatedAt, created.updatedAt);
  updated = client_->user().update(db::UserById{created.id}, {.displayName = std::optional<std::string>()});
  EXPECT_EQ(value("SELECT display_name IS NULL FROM users WHERE id = $1", {created.id}), "t");
  EXPECT_FALSE(client_->user().update(db::UserByEmail{"nobody@example.com"}, {.fullName = "x"}));

  // upsert: the create carries the unique value, so one INSERT ... ON CONFLICT.
  db::User upserted =
      client_->user().upsert(db::UserByEmail{"new@example.com"},
                             {.email = "new@example.com", .fullName = "Other"}, {.fullName = "Renamed"});
  EXPECT_EQ(upserted.id, created.id);
  EXPECT_EQ(value("SELECT full_name FROM users WHERE email = 'new@example.com'"), "Renamed");
  db::User fresh =
      client_->user().upsert(db::UserByEmail{"fresh@example.com"},
                             {.email = "fresh@example.com", .fullName = "Fresh"}, {.fullName = "unused"});
  EXPECT_EQ(value("SELECT full_name FROM users WHERE id = $1", {fresh.id}), "Fresh");
  // By id with a create that has no id: update, else insert.
  db::User by_id = client_->user().upsert(db::UserById{fresh.id}, {.email = "z@example.com", .fullName = "Z"},
                                          {.marketingOptIn = true});
  EXPECT_EQ(by_id.id, fresh.id);
  EXPECT_EQ(value("SELECT marketing_opt_in FROM users WHERE id = $1", {fresh.id}), "t");

  EXPECT_EQ(client_->order().update_many({.userId = {.is_null = true}},
                                         {.customerNote = std::optional<std::string>("guest")}),
            std::stoll(value("SELECT count(*) FROM orders WHERE user_id IS NULL")));
  EXPECT_EQ(value("SELECT count(*) FROM orders WHERE customer_note = 'guest'"),
            value("SELECT count(*) FROM orders WHERE user_id IS NULL"));

  auto deleted = client_->user().delete_unique(db::UserById{fresh.id});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->email, "fresh@example.com");
  EXPECT_EQ(value("SELECT count(*) FROM users WHERE id = $1", {fresh.id}), "0");
  EXPECT_FALSE(client_->user().delete_unique(db::UserById{fresh.id}));
  std::string carts = value("SELECT count(*) FROM cart_items WHERE quantity > 6");
  EXPECT_EQ(std::to_string(client_->cartItem().delete_many({.quantity = {.gt = 6}})), carts);
  EXPECT_EQ(value("SELECT count(*) FROM cart_items WHERE quantity > 6"), "0");
}

TEST_F(ClientTest, CreateManyWritesEveryRowThroughCopy) {
  std::vector<db::ProductCreate> rows;
  for (int i = 0; i < 1000; ++i) {
    db::ProductCreate row{.sku = "BULK-" + std::to_string(i),
                          .slug = "bulk-" + std::to_string(i),
                          .name = "Bulk\t\"" + std::to_string(i) + "\"\nline",
                          .price = Decimal("0.10")};
    if (i % 2 == 0)
      row.status = db::ProductStatus::ACTIVE;  // two groups: status given or left to its default
    if (i % 3 == 0) row.description = "back\\slash";
    rows.push_back(std::move(row));
  }
  EXPECT_EQ(client_->product().create_many(rows), 1000);
  EXPECT_EQ(value("SELECT count(*) FROM products WHERE sku LIKE 'BULK-%'"), "1000");
  EXPECT_EQ(value("SELECT count(*) FROM products WHERE sku LIKE 'BULK-%' AND status = 'ACTIVE'"), "500");
  EXPECT_EQ(value("SELECT count(*) FROM products WHERE sku LIKE 'BULK-%' AND status = 'DRAFT'"), "500");
  EXPECT_EQ(
      value("SELECT name || '|' || description || '|' || price || '|' || attributes::text FROM products "
            "WHERE sku = 'BULK-3'"),
      "Bulk\t\"3\"\nline|back\\slash|0.10|{}");
  auto read = client_->product().find_unique(db::ProductBySku{"BULK-3"});
  ASSERT_TRUE(read);
  EXPECT_EQ(read->name, rows[3].name);
  EXPECT_EQ(read->description, rows[3].description);
}

TEST_F(ClientTest, ARolledBackTransactionLeavesNothingAndACommittedOneStays) {
  std::string before = value("SELECT count(*) FROM users");
  {
    client::Transaction transaction = client_->transaction();
    (void)client_->user().create({.email = "t1@example.com", .fullName = "T1"});
    (void)client_->user().update_many({}, {.marketingOptIn = true});
    EXPECT_EQ(client_->user().count({.marketingOptIn = {.equals = false}}), 0);
    transaction.rollback();
  }
  EXPECT_EQ(value("SELECT count(*) FROM users"), before);
  EXPECT_NE(value("SELECT count(*) FROM users WHERE NOT marketing_opt_in"), "0");

  EXPECT_THROW(client_->transaction([](db::Client& tx) {
    (void)tx.user().create({.email = "t2@example.com", .fullName = "T2"});
    throw std::runtime_error("abandon");
  }),
               std::runtime_error);
  EXPECT_EQ(value("SELECT count(*) FROM users WHERE email = 't2@example.com'"), "0");

  std::string id = client_->transaction(
      [](db::Client& tx) { return tx.user().create({.email = "t3@example.com", .fullName = "T3"}).id; });
  EXPECT_EQ(value("SELECT email FROM users WHERE id = $1", {id}), "t3@example.com");
}

TEST_F(ClientTest, ADatabaseErrorKeepsItsSqlstate) {
  try {
    (void)client_->user().create({.email = "user1@example.com", .fullName = "Duplicate"});
    FAIL();
  } catch (const pg::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23505");
  }
  EXPECT_EQ(value("SELECT count(*) FROM users WHERE email = 'user1@example.com'"), "1");
  EXPECT_EQ(client_->user().count(), 50);  // the session is usable afterwards
}

}  // namespace
}  // namespace soulstone
