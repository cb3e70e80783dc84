// migrate deploy, resolve and status against a real server: the happy path,
// and every failure path with its exact error and proof that nothing else
// changed.
#include <gtest/gtest.h>

#include "base/temp_dir.hpp"
#include "fixtures.hpp"
#include "migrate/apply.hpp"
#include "migrate/deploy.hpp"
#include "migrate/history.hpp"
#include "migrate/resolve.hpp"
#include "migrate/status.hpp"
#include "postgres_env.hpp"

namespace soulstone::migrate {
namespace {

using testing::copy_fixture;
using testing::data_dir;
using testing::write_file;

bool has_column(pg::Connection& connection, const std::string& table, const std::string& column) {
  return connection
             .exec("SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
                   pg::Params{table, column})
             .rows() == 1;
}

TEST(Deploy, AppliesPendingMigrationsOnceAndInOrder) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("deploy"));
  TempDir temp("migrate-");
  auto folder = copy_fixture("shop", temp.path() / "migrations");
  std::filesystem::remove_all(folder / "20240104000000_order_status");
  DeployResult first = deploy(connection, read_migrations_dir(folder));
  ASSERT_EQ(first.applied.size(), 3u);
  EXPECT_EQ(first.applied[0].name, "20240101000000_init");
  EXPECT_EQ(first.applied[2].name, "20240103000000_add_user_name");

  copy_fixture("shop/20240104000000_order_status", folder / "20240104000000_order_status");
  DeployResult second = deploy(connection, read_migrations_dir(folder));
  ASSERT_EQ(second.applied.size(), 1u);
  EXPECT_EQ(second.applied[0].name, "20240104000000_order_status");
  EXPECT_TRUE(deploy(connection, read_migrations_dir(folder)).applied.empty());
  EXPECT_TRUE(has_column(connection, "Order", "status"));
  EXPECT_TRUE(status(connection, read_migrations_dir(folder)).up_to_date());
}

TEST(Deploy, AFailedMigrationIsRecordedLeavesNothingAndBlocksUntilResolved) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("deploy"));
  TempDir temp("migrate-");
  auto folder = copy_fixture("broken", temp.path() / "migrations");
  MigrationsDir dir = read_migrations_dir(folder);
  try {
    (void)deploy(connection, dir);
    FAIL() << "deploy did not fail";
  } catch (const MigrationFailed& failure) {
    EXPECT_EQ(failure.kind(), ErrorKind::Database);
    EXPECT_EQ(
        std::string(failure.what()),
        "migration 20240102000000_bad_reference failed (P3018): ERROR 42P01: relation \"Order\" does not "
        "exist at " +
            (folder / "20240102000000_bad_reference/migration.sql").string() + ":5 (statement 2)");
    EXPECT_EQ(failure.line(), 5);
    EXPECT_EQ(failure.statement(), 2);
    EXPECT_EQ(
        failure.hint(),
        "it is recorded as failed and PostgreSQL rolled its statements back with it (unless the file commits "
        "on its own); fix the cause, then `soulstone migrate resolve --rolled-back "
        "20240102000000_bad_reference` "
        "to run it again, or `--applied 20240102000000_bad_reference` if you completed it by hand");
  }
  // One implicit transaction: the first statement of the failed file is gone too.
  EXPECT_FALSE(has_column(connection, "User", "nickname"));
  EXPECT_FALSE(has_column(connection, "Product", "stock"));  // deploy stopped there

  auto rows = History(connection).read();
  ASSERT_TRUE(rows && rows->size() == 2);
  const HistoryRow& failed = (*rows)[1];
  EXPECT_TRUE(failed.failed());
  ASSERT_TRUE(failed.logs);
  EXPECT_EQ(
      *failed.logs,
      "A migration failed to apply. New migrations cannot be applied before the error is recovered from. "
      "Read more about how to resolve migration issues in a production database: "
      "https://pris.ly/d/migrate-resolve\n\nMigration name: 20240102000000_bad_reference\n\n"
      "Database error code: 42P01\n\nDatabase error:\nERROR: relation \"Order\" does not exist\n\n"
      "Position:\n  1 -- AlterTable\n  2 ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT;\n  3\n"
      "  4 -- AddForeignKey\n  5 ALTER TABLE \"Order\" ADD CONSTRAINT \"Order_userId_fkey\" FOREIGN KEY "
      "(\"userId\") REFERENCES \"User\"(\"id\");\n");

  // The next deploy refuses (P3009) and changes nothing.
  try {
    (void)deploy(connection, dir);
    FAIL() << "deploy did not refuse";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(
        std::string(error.what()),
        "migrate found failed migrations in " + connection.display_url() +
            ", new migrations will not be applied (P3009): the `20240102000000_bad_reference` migration "
            "started at " +
            prisma_time(failed.started_at) + " failed");
  }
  EXPECT_EQ(History(connection).read()->size(), 2u);
  StatusReport report = status(connection, dir);
  EXPECT_EQ(report.failed, (std::vector<std::string>{"20240102000000_bad_reference"}));

  // Fix the file, mark the attempt rolled back: deploy runs it again.
  write_file(folder / "20240102000000_bad_reference/migration.sql",
             "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT;\n");
  ResolveResult resolved = resolve_rolled_back(connection, "20240102000000_bad_reference");
  EXPECT_EQ(resolved.rolled_back, (std::vector<std::string>{failed.id}));
  DeployResult retried = deploy(connection, read_migrations_dir(folder));
  EXPECT_EQ(retried.applied.size(), 2u);
  EXPECT_TRUE(has_column(connection, "User", "nickname"));
  EXPECT_TRUE(has_column(connection, "Product", "stock"));
  EXPECT_TRUE(status(connection, read_migrations_dir(folder)).up_to_date());
}

TEST(Deploy, ErrorsWithoutAServerPositionNameTheStatementsLine) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("deploy"));
  TempDir temp("migrate-");
  write_file(temp.path() / "m/1_a/migration.sql",
             "CREATE TABLE a (id int PRIMARY KEY);\n\n-- duplicate rows\nINSERT INTO a VALUES (1);\n"
             "INSERT INTO a\n  VALUES (1);\n");
  try {
    (void)deploy(connection, read_migrations_dir(temp.path() / "m"));
    FAIL() << "no error";
  } catch (const MigrationFailed& failure) {
    EXPECT_EQ(failure.server_error().sqlstate, "23505");
    EXPECT_EQ(failure.statement(), 3);
    EXPECT_EQ(failure.line(), 5);
    EXPECT_EQ(failure.server_error().detail, "Key (id)=(1) already exists.");
  }
  EXPECT_EQ(connection.exec("SELECT to_regclass('a') IS NULL").get(0, 0), "t");
}

TEST(Deploy, RefusesANonEmptyDatabaseWithoutHistory) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("deploy"));
  connection.exec("CREATE TABLE legacy (id int); CREATE TABLE spatial_ref_sys (srid int)");
  MigrationsDir dir = read_migrations_dir(data_dir() / "shop");
  try {
    (void)deploy(connection, dir);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()),
              "the database schema is not empty (P3005): " + connection.display_url() +
                  " has 1 table (legacy) but no migration history");
    EXPECT_EQ(error.hint(),
              "baseline it: mark the migrations that it already reflects as applied with `soulstone migrate "
              "resolve "
              "--applied NAME` (e.g. 20240101000000_init)");
  }
  EXPECT_FALSE(History(connection).exists());

  // Baselining: the first migration marked applied, the rest deployed.
  connection.exec("DROP TABLE legacy; DROP TABLE spatial_ref_sys");
  connection.exec(dir.migrations[0].script);
  (void)resolve_applied(connection, dir, "20240101000000_init");
  EXPECT_EQ(deploy(connection, dir).applied.size(), 3u);
  EXPECT_TRUE(status(connection, dir).up_to_date());
}

TEST(Deploy, WaitsForTheMigrationLockThenGivesUp) {
  pg::ConnInfo database = soulstone::testing::fresh_database("deploy");
  pg::Connection holder = pg::Connection::open(database);
  holder.exec("SELECT pg_advisory_lock(72707369)");
  pg::Connection connection = pg::Connection::open(database);
  MigrationsDir dir = read_migrations_dir(data_dir() / "shop");
  auto started = std::chrono::steady_clock::now();
  try {
    (void)deploy(connection, dir, {.lock_timeout = std::chrono::milliseconds(300)});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Failure);
    EXPECT_EQ(std::string(error.what()),
              "timed out after 0.3 s waiting for the migration lock (pg_advisory_lock 72707369) on " +
                  connection.display_url());
  }
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
  EXPECT_FALSE(History(connection).exists());
  holder.exec("SELECT pg_advisory_unlock(72707369)");
  EXPECT_EQ(deploy(connection, dir).applied.size(), 4u);
  // The lock is released after deploy: another session takes it at once.
  EXPECT_EQ(holder.exec("SELECT pg_try_advisory_lock(72707369)").get(0, 0), "t");
}

TEST(Status, ReportsEditedAndMissingMigrations) {
  pg::Connection connection = pg::Connection::open(soulstone::testing::fresh_database("status"));
  TempDir temp("migrate-");
  auto folder = copy_fixture("shop", temp.path() / "migrations");
  (void)deploy(connection, read_migrations_dir(folder));
  write_file(folder / "20240103000000_add_user_name/migration.sql",
             "ALTER TABLE \"User\" ADD COLUMN \"nick\" TEXT;\n");
  std::filesystem::remove_all(folder / "20240104000000_order_status");
  StatusReport report = status(connection, read_migrations_dir(folder));
  EXPECT_EQ(report.edited, (std::vector<std::string>{"20240103000000_add_user_name"}));
  EXPECT_EQ(report.missing_locally, (std::vector<std::string>{"20240104000000_order_status"}));
  EXPECT_FALSE(report.up_to_date());
}

}  // namespace
}  // namespace soulstone::migrate

namespace soulstone::migrate {
namespace {

TEST(Replay, BuildsTheSchemaWithoutHistoryAndStopsAtAFailure) {
  pg::Connection shadow = pg::Connection::open(soulstone::testing::fresh_database("replay"));
  replay(shadow, read_migrations_dir(data_dir() / "shop").migrations);
  EXPECT_TRUE(has_column(shadow, "Order", "status"));
  EXPECT_FALSE(History(shadow).exists());

  pg::Connection broken = pg::Connection::open(soulstone::testing::fresh_database("replay"));
  try {
    replay(broken, read_migrations_dir(data_dir() / "broken").migrations);
    FAIL() << "no error";
  } catch (const MigrationFailed& failure) {
    EXPECT_EQ(failure.migration_name(), "20240102000000_bad_reference");
    EXPECT_EQ(failure.hint(), "");
  }
  EXPECT_FALSE(has_column(broken, "Product", "stock"));
}

}  // namespace
}  // namespace soulstone::migrate
