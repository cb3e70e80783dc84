// db seed drops the loaded tables' indexes and keys before COPY and builds
// them again after it: the catalog must read the same afterwards, a failure
// after the drops must leave data and catalog as they were, and what cannot
// be recreated identically must never be dropped.

#include <gtest/gtest.h>

#include "migrate/diff.hpp"
#include "model/introspect.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"
#include "seed/rebuild.hpp"
#include "seed_helpers.hpp"
#include "sql/render.hpp"

namespace soulstone::seed {
namespace {

using namespace soulstone::seed::testing;
using Rows = std::vector<std::string>;

// Every index and constraint of the public schema with its definition, and
// per table its row count and a digest of its rows: what a seed must not
// change (catalog) or must restore after a failure (both).
Rows catalog(pg::Connection& connection) {
  pg::Result result = connection.exec(R"(
SELECT 'index ' || tablename || ' ' || indexname || ': ' || indexdef FROM pg_indexes
WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ': ' || pg_get_constraintdef(oid)
       || CASE WHEN condeferred THEN ' (deferred)' ELSE '' END
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'comment ' || c.relname || ': ' || obj_description(c.oid, 'pg_class') FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND obj_description(c.oid, 'pg_class') IS NOT NULL
UNION ALL
SELECT 'clustered ' || indexrelid::regclass FROM pg_index WHERE indisclustered
ORDER BY 1)");
  Rows rows;
  for (int r = 0; r < result.rows(); ++r)
    rows.emplace_back(result.get(r, 0));
  return rows;
}

Rows contents(pg::Connection& connection, const model::Schema& model) {
  Rows rows;
  for (const model::Table& table : model.tables) {
    std::string name = connection.quote_identifier(table.name);
    rows.emplace_back(table.name + " " +
                      std::string(connection
                                      .exec("SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' "
                                            "ORDER BY t::text)), '') FROM " +
                                            name + " t")
                                      .get(0, 0)));
  }
  return rows;
}

class SeedRebuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = soulstone::testing::fresh_database("seedrebuild");
    connection_ = std::make_unique<pg::Connection>(pg::Connection::open(url_));
    connection_->exec(sql::render_script(migrate::diff(model::Schema{}, model_)));
  }
  Plan plan(std::uint64_t seed, const Config& config = load_config(kSoulstoneSeedToml)) const {
    return make_plan(schema_, model_, config, {.seed = seed, .scale = 0.1});
  }
  // What the schema engine sees: nothing to migrate means every index and
  // key is there with the definition the schema asks for.
  std::string pending_migration() const {
    pg::Connection connection = pg::Connection::open(url_);
    sql::Migration migration = migrate::diff(model::introspect(connection), model_);
    return migration.empty() ? "" : sql::render_script(migration);
  }

  psl::Schema schema_ = psl::load(kSoulstoneSchema);
  model::Schema model_ = model::from_schema(schema_);
  pg::ConnInfo url_;
  std::unique_ptr<pg::Connection> connection_;
};

TEST_F(SeedRebuildTest, EveryIndexAndKeyOfTheShopIsRebuiltNoneMaintainedRowByRow) {
  Rows before = catalog(*connection_);
  std::vector<std::uint32_t> oids;
  for (const model::Table& table : model_.tables)
    oids.push_back(static_cast<std::uint32_t>(std::stoul(std::string(
        connection_->exec("SELECT to_regclass($1)::oid", {connection_->quote_identifier(table.name)})
            .get(0, 0)))));
  connection_->exec("BEGIN");
  Rebuild rebuild = Rebuild::drop(*connection_, oids, oids);
  EXPECT_EQ(catalog(*connection_), Rows{}) << "left in place";
  EXPECT_EQ(rebuild.foreign_keys().size(), model_.foreign_keys.size());
  std::size_t indexes = 0;
  for (const model::Table& table : model_.tables)
    indexes += table.indexes.size() + (table.primary_key ? 1 : 0);
  EXPECT_EQ(rebuild.indexes().size(), indexes);
  for (const auto* definitions : {&rebuild.indexes(), &rebuild.foreign_keys()})
    for (const Definition& definition : *definitions)
      connection_->exec(definition.create);
  EXPECT_EQ(catalog(*connection_), before);
  connection_->exec("ROLLBACK");
  EXPECT_EQ(catalog(*connection_), before);
}

TEST_F(SeedRebuildTest, AfterASeedTheCatalogIsAsBeforeAndTheSchemaHasNothingToMigrate) {
  ASSERT_EQ(pending_migration(), "");
  Rows before = catalog(*connection_);
  ASSERT_GT(before.size(), 60u);
  Report report = load(*connection_, plan(1), {});
  EXPECT_EQ(report.rebuilt_foreign_keys, model_.foreign_keys.size());
  EXPECT_GT(report.rebuilt_indexes, model_.tables.size());
  EXPECT_EQ(catalog(*connection_), before);
  (void)load(*connection_, plan(2), {.only = {"Review"}});
  EXPECT_EQ(catalog(*connection_), before);
  EXPECT_EQ(pending_migration(), "");
  // The indexes work: an index scan finds what a sequential scan finds.
  connection_->exec("SET enable_seqscan = off");
  std::string email(connection_->exec("SELECT email FROM users ORDER BY id DESC LIMIT 1").get(0, 0));
  EXPECT_EQ(connection_->exec("SELECT count(*) FROM users WHERE email = $1", {email}).get(0, 0), "1");
}

TEST_F(SeedRebuildTest, AFailureAfterTheDropsLeavesDataAndEveryIndexAndKeyInPlace) {
  (void)load(*connection_, plan(21), {});
  Rows catalog_before = catalog(*connection_), data_before = contents(*connection_, model_);
  Config config = load_config(kSoulstoneSeedToml);
  // Only the rebuilt foreign key can catch this: the triggers are gone
  // while the rows go in.
  config.models["Payment"].fields["orderId"] =
      FieldRule{.value = Value::string("00000000-0000-0000-0000-000000000000")};
  try {
    (void)load(*connection_, plan(22, config), {});
    FAIL() << "expected the load to fail";
  } catch (const pg::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23503");
    EXPECT_TRUE(std::string(error.what())
                    .starts_with("db seed failed while loading payments: insert or update on table "
                                 "\"payments\" violates foreign key constraint \"payments_order_id_fkey\""))
        << error.what();
  }
  EXPECT_EQ(catalog(*connection_), catalog_before);
  EXPECT_EQ(contents(*connection_, model_), data_before);
  // A duplicate the rebuilt unique index catches.
  Config duplicate = load_config(kSoulstoneSeedToml);
  duplicate.models["Collection"].fields["slug"] = FieldRule{.value = Value::string("same-slug")};
  try {
    (void)load(*connection_, plan(23, duplicate), {});
    FAIL() << "expected the load to fail";
  } catch (const pg::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23505");
    EXPECT_TRUE(std::string(error.what())
                    .starts_with("db seed failed while loading collections: could not create unique index "
                                 "\"collections_slug_key\""))
        << error.what();
  }
  EXPECT_EQ(catalog(*connection_), catalog_before);
  EXPECT_EQ(contents(*connection_, model_), data_before);
}

TEST_F(SeedRebuildTest, WhatADefinitionCannotCarryIsNeverDroppedAndStillHolds) {
  connection_->exec(
      "COMMENT ON INDEX users_email_key IS 'login lookups';"
      "CLUSTER orders USING orders_status_idx;"
      "ALTER TABLE payments ALTER CONSTRAINT payments_order_id_fkey DEFERRABLE;"
      "ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_number_key;"
      "ALTER TABLE carts ADD CONSTRAINT carts_unvalidated_fkey FOREIGN KEY (user_id) REFERENCES users(id) "
      "NOT VALID");
  Rows before = catalog(*connection_);
  (void)load(*connection_, plan(5), {});
  EXPECT_EQ(catalog(*connection_), before);
  EXPECT_EQ(connection_->exec("SELECT relreplident FROM pg_class WHERE relname = 'orders'").get(0, 0), "i");
  EXPECT_EQ(connection_
                ->exec("SELECT indisreplident FROM pg_index WHERE indexrelid = "
                       "'orders_number_key'::regclass")
                .get(0, 0),
            "t");
}

}  // namespace
}  // namespace soulstone::seed
