// db seed against a real PostgreSQL 15: determinism of the stored data,
// constraints and the shop's invariants, atomicity under failure, the
// production guard, --only, cycles, and the command line.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "migrate/diff.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "pg/subprocess.hpp"
#include "postgres_env.hpp"
#include "seed/hash.hpp"
#include "seed_helpers.hpp"
#include "sql/render.hpp"

namespace soulstone::seed {
namespace {

using namespace soulstone::seed::testing;
using Hashes = std::map<std::string, std::uint64_t>;

// The schema's tables as our own renderer creates them (what migrate
// deploy of the first migration does).
void create_tables(pg::Connection& connection, const model::Schema& model) {
  connection.exec(sql::render_script(migrate::diff(model::Schema{}, model)));
}

// Per table, a hash of its rows in primary-key order as COPY prints them.
Hashes table_hashes(const pg::ConnInfo& url, const model::Schema& model) {
  pg::Connection connection = pg::Connection::open(url);
  connection.exec("SET TimeZone = 'UTC'");
  Hashes hashes;
  for (const model::Table& table : model.tables) {
    std::string order;
    for (const model::IndexColumn& c : table.primary_key->columns)
      order += (order.empty() ? "" : ", ") + connection.quote_identifier(table.columns[c.column].name);
    pg::CopyOut copy = connection.copy_out("COPY (SELECT * FROM " + connection.quote_identifier(table.name) +
                                           " ORDER BY " + order + ") TO STDOUT");
    std::uint64_t h = 0;
    while (auto row = copy.next())
      h = key(h, *row);
    hashes[table.name] = h;
  }
  return hashes;
}

std::int64_t scalar(pg::Connection& connection, const std::string& sql) {
  return std::stoll(std::string(connection.exec(sql).get(0, 0)));
}

class SeedLoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    url_ = new pg::ConnInfo(soulstone::testing::fresh_database("seed"));
    schema_ = new psl::Schema(psl::load(kSoulstoneSchema));
    model_ = new model::Schema(model::from_schema(*schema_));
    pg::Connection connection = pg::Connection::open(*url_);
    create_tables(connection, *model_);
    // Tables seeding must never touch: Prisma's history and someone else's table.
    connection.exec(
        "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, migration_name varchar(255));"
        "INSERT INTO _prisma_migrations VALUES ('m1', '20250101000000_init');"
        "CREATE TABLE outside_table (id int PRIMARY KEY, note text);"
        "INSERT INTO outside_table VALUES (1, 'keep me'), (2, 'me too');");
  }
  static void TearDownTestSuite() {
    delete model_;
    delete schema_;
    delete url_;
  }

  static Plan plan(std::uint64_t seed, double scale = 0.2,
                   const Config& config = load_config(kSoulstoneSeedToml)) {
    return make_plan(*schema_, *model_, config, {.seed = seed, .scale = scale});
  }
  static Report seed(std::uint64_t seed, LoadOptions options = {}, double scale = 0.2) {
    pg::Connection connection = pg::Connection::open(*url_);
    return load(connection, plan(seed, scale), options);
  }
  static Hashes hashes() { return table_hashes(*url_, *model_); }
  static pg::Connection connect() { return pg::Connection::open(*url_); }

  static pg::ConnInfo* url_;
  static psl::Schema* schema_;
  static model::Schema* model_;
};

pg::ConnInfo* SeedLoadTest::url_ = nullptr;
psl::Schema* SeedLoadTest::schema_ = nullptr;
model::Schema* SeedLoadTest::model_ = nullptr;

TEST_F(SeedLoadTest, SameSeedGivesIdenticalTablesWhateverTheFormatAndThreads) {
  Report first = seed(7, {.format = CopyFormat::Binary, .threads = 1});
  Hashes binary = hashes();
  seed(7, {.format = CopyFormat::Text, .threads = 3});
  EXPECT_EQ(hashes(), binary);
  seed(8);
  Hashes other = hashes();
  for (const TableReport& table : first.tables)
    if (table.rows > 0) EXPECT_NE(other.at(table.table), binary.at(table.table)) << table.table;
  EXPECT_EQ(first.tables.size(), model_->tables.size());
  EXPECT_GT(first.rows, 5000u);
}

TEST_F(SeedLoadTest, EveryForeignKeyAndUniqueConstraintHolds) {
  seed(3);
  pg::Connection c = connect();
  for (const model::Table& table : model_->tables)
    EXPECT_GT(scalar(c, "SELECT count(*) FROM \"" + table.name + "\""), 0) << table.name;
  // The database enforced these while loading; check them once more with
  // plain queries, from the model.
  for (const model::ForeignKey& fk : model_->foreign_keys) {
    const model::Table& child = model_->tables[fk.table];
    const model::Table& parent = model_->tables[fk.referenced_table];
    std::string match, not_null;
    for (std::size_t k = 0; k < fk.columns.size(); ++k) {
      std::string column = "c.\"" + child.columns[fk.columns[k]].name + "\"";
      match += (k ? " AND " : "") + column + " = p.\"" + parent.columns[fk.referenced_columns[k]].name + "\"";
      not_null += (k ? " AND " : "") + column + " IS NOT NULL";
    }
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM \"" + child.name + "\" c WHERE " + not_null +
                            " AND NOT EXISTS (SELECT 1 FROM \"" + parent.name + "\" p WHERE " + match + ")"),
              0)
        << fk.name;
  }
  for (const model::Table& table : model_->tables) {
    std::vector<const model::Index*> uniques{&*table.primary_key};
    for (const model::Index& index : table.indexes)
      if (index.is_unique()) uniques.push_back(&index);
    for (const model::Index* index : uniques) {
      std::string columns, not_null;
      for (const model::IndexColumn& column : index->columns) {
        columns += (columns.empty() ? "" : ", ") + ("\"" + table.columns[column.column].name + "\"");
        not_null +=
            (not_null.empty() ? "" : " AND ") + ("\"" + table.columns[column.column].name + "\" IS NOT NULL");
      }
      EXPECT_EQ(scalar(c, "SELECT count(*) - count(DISTINCT (" + columns + ")) FROM \"" + table.name +
                              "\" WHERE " + not_null),
                0)
          << index->name;
    }
  }
}

TEST_F(SeedLoadTest, TheShopsInvariantsHold) {
  seed(4);
  pg::Connection c = connect();
  auto none = [&](const std::string& what, const std::string& sql) { EXPECT_EQ(scalar(c, sql), 0) << what; };
  auto some = [&](const std::string& what, const std::string& sql) { EXPECT_GT(scalar(c, sql), 0) << what; };
  none("line total = unit price x quantity",
       "SELECT count(*) FROM order_items WHERE line_total <> unit_price * quantity");
  none("items snapshot their product",
       "SELECT count(*) FROM order_items i JOIN products p ON p.id = i.product_id "
       "WHERE i.unit_price <> p.price OR i.sku <> p.sku OR i.product_name <> p.name");
  none("subtotal = sum of line totals",
       "SELECT count(*) FROM orders o WHERE subtotal <> (SELECT sum(line_total) FROM order_items i WHERE "
       "i.order_id = o.id)");
  none(
      "every order has items",
      "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)");
  none("shipping free from 50",
       "SELECT count(*) FROM orders WHERE shipping_total <> CASE WHEN subtotal >= 50 THEN 0 ELSE 4.90 END");
  none("tax is 19 %", "SELECT count(*) FROM orders WHERE tax_total <> round(subtotal * 0.19, 2)");
  none("total = subtotal + shipping + tax",
       "SELECT count(*) FROM orders WHERE total <> subtotal + shipping_total + tax_total");
  none("one payment per order",
       "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM payments p WHERE p.order_id = o.id) <> 1");
  none("payments match their orders",
       "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id "
       "WHERE p.amount <> o.total OR p.amount_minor <> o.total * 100 OR p.currency <> o.currency");
  none("payment status follows the order",
       "SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE "
       "(o.status IN ('PAID', 'FULFILLED') AND p.status <> 'CAPTURED') OR (o.status = 'REFUNDED' AND "
       "p.status <> 'REFUNDED')"
       " OR (o.status = 'CANCELLED' AND p.status <> 'FAILED') OR (o.status = 'PENDING' AND p.status <> "
       "'AUTHORIZED')");
  none("order e-mail is the customer's",
       "SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE o.email <> u.email");
  none("at most one review per user and product",
       "SELECT count(*) FROM (SELECT 1 FROM reviews WHERE user_id IS NOT NULL GROUP BY product_id, user_id "
       "HAVING count(*) > 1) d");
  none("ratings are 1 to 5", "SELECT count(*) FROM reviews WHERE rating NOT BETWEEN 1 AND 5");
  none("carts have items",
       "SELECT count(*) FROM carts c WHERE NOT EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id)");
  some("guest carts exist", "SELECT count(*) FROM carts WHERE user_id IS NULL");
  none("cancelled subscriptions have cancelled_at, others not",
       "SELECT count(*) FROM subscriptions WHERE (status = 'CANCELLED') <> (cancelled_at IS NOT NULL)");
  none("cancelled within the period",
       "SELECT count(*) FROM subscriptions WHERE cancelled_at IS NOT NULL AND NOT (cancelled_at > created_at "
       "AND cancelled_at < current_period_end)");
  none("periods are whole intervals",
       "SELECT count(*) FROM subscriptions WHERE current_period_end <= created_at OR "
       "mod(extract(epoch FROM current_period_end - created_at)::bigint, CASE interval WHEN 'YEAR' THEN 365 "
       "ELSE 30 END * 86400) <> 0");
  some("subscriptions of every status", "SELECT count(DISTINCT status) - 2 FROM subscriptions");
  none("published articles have published_at, drafts not",
       "SELECT count(*) FROM articles WHERE (status = 'PUBLISHED') <> (published_at IS NOT NULL)");
  some("drafts exist", "SELECT count(*) FROM articles WHERE status = 'DRAFT'");
  some("tagged articles exist", "SELECT count(*) FROM articles WHERE cardinality(tags) > 0");
  none("every product has media",
       "SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_media m WHERE m.product_id = "
       "p.id)");
  some("articles have media", "SELECT count(*) FROM article_media");
  some("collections have products", "SELECT count(*) FROM \"_CollectionToProduct\"");
  none("e-mails on reserved domains",
       "SELECT count(*) FROM (SELECT email FROM users UNION ALL SELECT email FROM orders) e "
       "WHERE email !~ '@(example\\.(com|org|net)|[a-z.]+\\.(test|invalid))$'");
  none("no card numbers anywhere",
       "SELECT count(*) FROM payments WHERE raw_response::text ~ '[0-9]{13,19}' OR provider_ref ~ "
       "'^[0-9]{13,19}$'");
}

TEST_F(SeedLoadTest, TruncatesOnlyTheSchemasOwnTablesAndResetsSequences) {
  seed(5);
  pg::Connection c = connect();
  EXPECT_EQ(scalar(c, "SELECT count(*) FROM _prisma_migrations"), 1);
  EXPECT_EQ(scalar(c, "SELECT count(*) FROM outside_table"), 2);
  std::int64_t items = scalar(c, "SELECT count(*) FROM order_items");
  EXPECT_EQ(scalar(c, "SELECT min(id) FROM order_items"), 1);
  EXPECT_EQ(scalar(c, "SELECT max(id) FROM order_items"), items);
  EXPECT_EQ(scalar(c, "SELECT nextval(pg_get_serial_sequence('order_items', 'id'))"), items + 1);
  EXPECT_EQ(scalar(c, "SELECT nextval(pg_get_serial_sequence('orders', 'number'))"),
            scalar(c, "SELECT max(number) FROM orders") + 1);
}

TEST_F(SeedLoadTest, AFailureHalfwayLeavesThePreviousSeedIntact) {
  seed(21);
  Hashes before = hashes();
  Config config = load_config(kSoulstoneSeedToml);
  config.models["Payment"].fields["orderId"] =
      FieldRule{.value = Value::string("00000000-0000-0000-0000-000000000000")};
  pg::Connection connection = connect();
  try {
    (void)load(connection, plan(22, 0.2, config), {});
    FAIL() << "expected the load to fail";
  } catch (const pg::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23503");
    EXPECT_EQ(
        std::string(error.what()),
        "db seed failed while loading payments: insert or update on table \"payments\" violates foreign key "
        "constraint \"payments_order_id_fkey\" (Key (order_id)=(00000000-0000-0000-0000-000000000000) is not "
        "present in table \"orders\".); nothing was changed (the whole seed was rolled back)");
  }
  EXPECT_EQ(hashes(), before);
  // A rule that breaks on one row in the middle of a table fails while the
  // rows are generated: also rolled back.
  Config bad_row = load_config(kSoulstoneSeedToml);
  bad_row.models["Order"].fields["status"] = FieldRule{.expr = "if(row() == 700, 'LOST', 'PAID')"};
  try {
    (void)load(connection, plan(23, 0.2, bad_row), {});
    FAIL() << "expected the load to fail";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(
        std::string(error.what()),
        "Order.status (table orders, row 700): 'LOST' is not a value of the enum order_status; nothing was "
        "changed (the whole seed was rolled back)");
  }
  EXPECT_EQ(hashes(), before);
}

TEST_F(SeedLoadTest, TheProductionGuardRefusesAndTruncatesNothing) {
  seed(31);
  Hashes before = hashes();
  pg::Connection connection = connect();
  pg::write_mark(connection, pg::Environment::Production);
  try {
    pg::Connection fresh = connect();
    (void)load(fresh, plan(32), {});
    FAIL() << "expected a refusal";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()), "db seed refused: " + url_->redacted() + " is marked production");
    EXPECT_EQ(error.hint(), "nothing was changed; if you really mean it, pass --i-know-this-is-production");
  }
  EXPECT_EQ(hashes(), before);
  pg::write_mark(connection, pg::Environment::Development);
  try {
    pg::Connection fresh = connect();
    (void)load(fresh, plan(32), {.configured_environment = "production"});
    FAIL() << "expected a refusal";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(
        std::string(error.what()),
        "db seed refused: soulstone.toml says environment = \"production\"; seeding truncates every table");
  }
  EXPECT_EQ(hashes(), before);
  pg::Connection fresh = connect();
  (void)load(fresh, plan(32), {.production_override = true, .configured_environment = "production"});
  EXPECT_NE(hashes(), before);
}

TEST_F(SeedLoadTest, OnlySeedsTheNamedModelsTheirParentsAndEmptiesTheirChildren) {
  seed(41);
  Hashes full = hashes();
  Report report = seed(41, {.only = {"Review"}});
  std::vector<std::string> loaded;
  for (const TableReport& table : report.tables)
    loaded.push_back(table.table);
  EXPECT_EQ(loaded, (std::vector<std::string>{"users", "products", "reviews"}));
  Hashes partial = hashes();
  for (const std::string& table : loaded)
    EXPECT_EQ(partial.at(table), full.at(table)) << table;
  std::set<std::string> emptied(report.emptied.begin(), report.emptied.end());
  EXPECT_TRUE(emptied.count("order_items") && emptied.count("addresses") &&
              emptied.count("_CollectionToProduct"));
  EXPECT_FALSE(emptied.count("media"));
  pg::Connection c = connect();
  EXPECT_EQ(scalar(c, "SELECT count(*) FROM order_items"), 0);
  EXPECT_GT(scalar(c, "SELECT count(*) FROM media"), 0);  // untouched from the full run
}

TEST(SeedCycles, KeysThatCloseACycleAreFilledAfterBothTablesAreIn) {
  psl::Schema schema = schema_from_text(R"~(
datasource db {
  provider = "postgresql"
}
model Team {
  id        Int      @id @default(autoincrement())
  name      String
  captainId Int?     @unique
  captain   Player?  @relation("Captain", fields: [captainId], references: [id])
  players   Player[] @relation("Members")
}
model Player {
  id       Int     @id @default(autoincrement())
  teamId   Int?
  team     Team?   @relation("Members", fields: [teamId], references: [id])
  captains Team?   @relation("Captain")
  mentorId Int?
  mentor   Player? @relation("Mentoring", fields: [mentorId], references: [id])
  mentees  Player[] @relation("Mentoring")
}
)~");
  model::Schema model = model::from_schema(schema);
  pg::ConnInfo url = soulstone::testing::fresh_database("seedcycle");
  pg::Connection connection = pg::Connection::open(url);
  create_tables(connection, model);
  Config config = parse_config("[defaults]\ncount = 300\nnull_rate = 0.1\n", "seed.toml");
  Report report = load(connection, make_plan(schema, model, config, {.seed = 2}), {});
  EXPECT_EQ(report.rows, 600u);
  EXPECT_GT(scalar(connection, "SELECT count(*) FROM \"Team\" WHERE \"captainId\" IS NOT NULL"), 200);
  EXPECT_GT(scalar(connection, "SELECT count(*) FROM \"Player\" WHERE \"teamId\" IS NOT NULL"), 200);
  EXPECT_GT(scalar(connection, "SELECT count(*) FROM \"Player\" WHERE \"mentorId\" IS NOT NULL"), 200);
  Hashes first = table_hashes(url, model);
  (void)load(connection, make_plan(schema, model, config, {.seed = 2}), {.threads = 2});
  EXPECT_EQ(table_hashes(url, model), first);
}

// The command line, end to end: output, the one-line error, exit codes.
class SeedCommandTest : public SeedLoadTest {
 protected:
  pg::RunResult soulstone(std::vector<std::string> args) {
    pg::Command command{.argv = {SOULSTONE_BINARY, "db", "seed", "--schema", kSoulstoneSchema}};
    command.argv.insert(command.argv.end(), args.begin(), args.end());
    command.env = {{"DATABASE_URL", url_->url()}};
    command.cwd = dir_.path();
    return pg::run(command);
  }
  TempDir dir_{"soulstone-test-seed-"};
};

TEST_F(SeedCommandTest, SeedsAndReportsAsJson) {
  pg::RunResult result = soulstone({"--scale", "0.05", "--seed", "3", "--json"});
  ASSERT_TRUE(result.status.ok()) << result.err;
  nlohmann::json report = nlohmann::json::parse(result.out);
  EXPECT_EQ(report["seed"], 3);
  EXPECT_EQ(report["tables"].size(), model_->tables.size());
  EXPECT_GT(report["rows"].get<int>(), 1000);
}

TEST_F(SeedCommandTest, ABrokenRuleFailsWithOneClearErrorAndExitCode4) {
  seed(51);
  Hashes before = hashes();
  std::ofstream(dir_.path() / "bad.toml")
      << "[models.Payment.fields]\norderId = { value = \"00000000-0000-0000-0000-000000000000\" }\n";
  pg::RunResult result = soulstone({"--scale", "0.05", "--config", (dir_.path() / "bad.toml").string()});
  EXPECT_EQ(result.status.code, 4);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_TRUE(
      result.err.starts_with("soulstone: error: db seed failed while loading payments: insert or update on "
                             "table \"payments\" violates foreign key constraint"))
      << result.err;
  EXPECT_EQ(hashes(), before);
}

TEST_F(SeedCommandTest, RefusesProductionWithExitCode7) {
  seed(61);
  Hashes before = hashes();
  std::ofstream(dir_.path() / "soulstone.toml") << "environment = \"production\"\n";
  pg::RunResult result = soulstone({"--scale", "0.05"});
  EXPECT_EQ(result.status.code, 7);
  EXPECT_EQ(
      result.err,
      "soulstone: error: db seed refused: soulstone.toml says environment = \"production\"; seeding "
      "truncates "
      "every table (hint: nothing was changed; if you really mean it, pass --i-know-this-is-production)\n");
  EXPECT_EQ(hashes(), before);
}

}  // namespace
}  // namespace soulstone::seed
