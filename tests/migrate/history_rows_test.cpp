// The rows soulstone writes into _prisma_migrations, field by field, against
// what Prisma's engine wrote for the same folders (data/expected/, made by
// data/regenerate-expected.sh with the oracle): no node needed here.
#include <gtest/gtest.h>

#include <regex>

#include "fixtures.hpp"
#include "migrate/apply.hpp"
#include "migrate/checksum.hpp"
#include "migrate/deploy.hpp"
#include "migrate/history.hpp"
#include "migrate/resolve.hpp"
#include "postgres_env.hpp"

namespace soulstone::migrate {
namespace {

using testing::data_dir;
using testing::describe_history;
using testing::expected;

TEST(HistoryRows, DeployWritesWhatPrismaWrites) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("rows"));
  MigrationsDir dir = read_migrations_dir(data_dir() / "shop");
  DeployResult result = deploy(connection, dir);
  EXPECT_EQ(result.applied.size(), 4u);
  EXPECT_EQ(describe_history(connection), expected("prisma_shop.json"));
}

TEST(HistoryRows, AFailedMigrationIsRecordedAsPrismaRecordsIt) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("rows"));
  MigrationsDir dir = read_migrations_dir(data_dir() / "broken");
  EXPECT_THROW((void)deploy(connection, dir), MigrationFailed);
  EXPECT_EQ(describe_history(connection), expected("prisma_broken.json"));
}

TEST(HistoryRows, TheTableIsCreatedWithPrismasStatement) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("rows"));
  History history(connection);
  EXPECT_FALSE(history.exists());
  history.create();
  EXPECT_TRUE(history.exists());
  EXPECT_EQ(describe_history(connection)["columns"], expected("prisma_shop.json")["columns"]);
  EXPECT_EQ(history_table_ddl().substr(0, 32), "CREATE TABLE _prisma_migrations ");
}

TEST(HistoryRows, TimesRoundTripToTheMicrosecond) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("rows"));
  History history(connection);
  history.create();
  Timestamp started{std::chrono::microseconds(1'712'345'678'901'234)};
  Timestamp finished = started + std::chrono::microseconds(1);
  std::string id = history.record_started("1_a", checksum("x"), started);
  history.record_finished(id, finished);
  auto rows = history.read();
  ASSERT_TRUE(rows && rows->size() == 1);
  EXPECT_EQ((*rows)[0].started_at, started);
  EXPECT_EQ((*rows)[0].finished_at, finished);
  EXPECT_EQ(iso8601(started), "2024-04-05T19:34:38.901234Z");
  EXPECT_EQ(prisma_time(started), "2024-04-05 19:34:38.901234 UTC");
  EXPECT_EQ(prisma_time(Timestamp{std::chrono::microseconds(1'712'345'678'901'000)}),
            "2024-04-05 19:34:38.901 UTC");
}

// resolve --applied writes the row of Prisma's mark_migration_applied: logs
// '', started_at = finished_at, applied_steps_count 0 (the oracle has no
// resolve, so this follows Prisma's source, sql_migration_persistence.rs).
TEST(HistoryRows, ResolveAppliedWritesPrismasBaselineRow) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("rows"));
  MigrationsDir dir = read_migrations_dir(data_dir() / "shop");
  ResolveResult result = resolve_applied(connection, dir, "20240101000000_init");
  auto rows = History(connection).read();
  ASSERT_TRUE(rows && rows->size() == 1);
  const HistoryRow& row = (*rows)[0];
  EXPECT_EQ(row.id, result.id);
  EXPECT_TRUE(std::regex_match(
      row.id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_EQ(row.checksum, dir.migrations[0].checksum);
  EXPECT_EQ(row.logs, "");
  EXPECT_EQ(row.finished_at, row.started_at);
  EXPECT_FALSE(row.rolled_back_at);
  EXPECT_EQ(row.applied_steps_count, 0);
  // The migration itself did not run: resolve only records.
  EXPECT_EQ(connection.exec("SELECT to_regclass('\"User\"') IS NULL").get(0, 0), "t");
}

}  // namespace
}  // namespace soulstone::migrate
