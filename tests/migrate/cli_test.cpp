// soulstone migrate through the real binary: exit codes, --json, the exact
// one-line errors, reset's guards, and two deploys racing.
#include <gtest/gtest.h>

#include <thread>

#include "base/temp_dir.hpp"
#include "fixtures.hpp"
#include "migrate/history.hpp"
#include "pg/environment_mark.hpp"
#include "postgres_env.hpp"

namespace soulstone::migrate {
namespace {

using testing::copy_fixture;
using testing::data_dir;
using testing::soulstone;
using testing::write_file;

std::string shop() { return (data_dir() / "shop").string(); }

TEST(MigrateCli, HelpListsTheCommandsAndExitCodes) {
  auto help = soulstone(soulstone::testing::postgres(), {"migrate", "--help"});
  EXPECT_EQ(help.status.code, 0);
  for (const char* word : {"deploy", "status", "resolve", "reset", "--schema", "--migrations", "Exit codes"})
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
}

TEST(MigrateCli, DeployThenStatusAsJson) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  auto deployed = soulstone(database, {"migrate", "deploy", "--migrations", shop(), "--json"});
  ASSERT_EQ(deployed.status.code, 0) << deployed.err;
  auto document = nlohmann::json::parse(deployed.out);
  EXPECT_EQ(document["found"], 4);
  ASSERT_EQ(document["applied"].size(), 4u);
  EXPECT_EQ(document["applied"][3]["name"], "20240104000000_order_status");

  auto status = soulstone(database, {"--json", "migrate", "status", "--migrations", shop()});
  ASSERT_EQ(status.status.code, 0) << status.err;
  auto report = nlohmann::json::parse(status.out);
  EXPECT_EQ(report["up_to_date"], true);
  EXPECT_EQ(report["history"].size(), 4u);
  EXPECT_EQ(report["history"][0]["applied_steps_count"], 1);

  auto again = soulstone(database, {"migrate", "deploy", "--migrations", shop()});
  EXPECT_EQ(again.status.code, 0);
  EXPECT_EQ(again.out, "4 migrations found in " + shop() + "\nNo pending migrations to apply.\n");
}

TEST(MigrateCli, StatusExitsOneWhenMigrationsArePending) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  auto status = soulstone(database, {"migrate", "status", "--migrations", shop()});
  EXPECT_EQ(status.status.code, 1);
  EXPECT_EQ(
      status.err,
      "soulstone: error: migration history is not up to date: 4 pending (hint: apply them with `soulstone "
      "migrate deploy`)\n");
  EXPECT_NE(status.out.find("Pending (not yet applied) (4):\n  20240101000000_init\n"), std::string::npos);
}

TEST(MigrateCli, AMissingMigrationsFolderIsOneClearError) {
  TempDir temp("migrate-");
  std::string missing = (temp.path() / "prisma" / "migrations").string();
  auto result =
      soulstone(soulstone::testing::postgres(),
                {"migrate", "deploy", "--schema", (temp.path() / "prisma" / "schema.prisma").string()});
  EXPECT_EQ(result.status.code, 3);
  EXPECT_EQ(result.err, "soulstone: error: migrations folder " + missing +
                            " not found (hint: pass --migrations DIR (or --schema PATH, whose folder holds "
                            "migrations/); `soulstone migrate dev` creates the first migration)\n");
  EXPECT_EQ(result.out, "");
}

TEST(MigrateCli, AProviderMismatchIsOneClearError) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  TempDir temp("migrate-");
  auto folder = copy_fixture("shop", temp.path() / "migrations");
  write_file(folder / "migration_lock.toml", "provider = \"mysql\"\n");
  auto result = soulstone(database, {"migrate", "deploy", "--migrations", folder.string()});
  EXPECT_EQ(result.status.code, 3);
  EXPECT_EQ(result.err,
            "soulstone: error: provider mismatch (P3019): " + (folder / "migration_lock.toml").string() +
                " says provider \"mysql\" but the database is \"postgresql\" (hint: these migrations were "
                "written for another database; start a new migration history for postgresql (move the "
                "folder away and run `soulstone migrate dev`))\n");
  pg::Connection connection = pg::Connection::open(database);
  EXPECT_FALSE(History(connection).exists());
}

TEST(MigrateCli, AnUnreachableDatabaseIsOneClearError) {
  int port = pg::find_free_port();
  pg::ConnInfo nowhere =
      pg::ConnInfo::parse("postgresql://app:secret@127.0.0.1:" + std::to_string(port) + "/shop");
  auto result = soulstone(nowhere, {"migrate", "deploy", "--migrations", shop()});
  EXPECT_EQ(result.status.code, 4);
  EXPECT_EQ(result.err,
            "soulstone: error: cannot connect to postgresql://app:****@127.0.0.1:" + std::to_string(port) +
                "/shop: connection to server at \"127.0.0.1\", port " + std::to_string(port) +
                " failed: Connection refused (hint: check that the server is running and that the URL, "
                "user and password are right)\n");
}

TEST(MigrateCli, ResolveErrorsFollowPrisma) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  auto unknown = soulstone(database, {"migrate", "resolve", "--applied", "init", "--migrations", shop()});
  EXPECT_EQ(unknown.status.code, 3);
  EXPECT_EQ(unknown.err,
            "soulstone: error: the migration init could not be found in " + shop() +
                " (P3017) (hint: give the whole folder name, e.g. 20201207184859_initial_migration; "
                "`soulstone migrate status` lists them)\n");
  ASSERT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", shop()}).status.code, 0);
  auto twice =
      soulstone(database, {"migrate", "resolve", "--applied", "20240101000000_init", "--migrations", shop()});
  EXPECT_EQ(twice.status.code, 1);
  EXPECT_NE(twice.err.find("is already recorded as applied in "), std::string::npos) << twice.err;
  auto not_failed = soulstone(database, {"migrate", "resolve", "--rolled-back", "20240101000000_init"});
  EXPECT_EQ(not_failed.status.code, 1);
  EXPECT_NE(not_failed.err.find("cannot be rolled back because it is not in a failed state (P3012)"),
            std::string::npos);
  auto never = soulstone(database, {"migrate", "resolve", "--rolled-back", "20990101000000_x"});
  EXPECT_EQ(never.status.code, 1);
  EXPECT_NE(never.err.find("because it was never applied to the database (P3011)"), std::string::npos);
  auto both = soulstone(database, {"migrate", "resolve", "--applied", "a", "--rolled-back", "b"});
  EXPECT_EQ(both.status.code, 2);
}

TEST(MigrateCli, ResetRefusesWithoutForceAndOnProduction) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  ASSERT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", shop()}).status.code, 0);
  pg::Connection connection = pg::Connection::open(database);
  connection.exec("INSERT INTO \"User\" (email) VALUES ('a@example.com')");

  auto refused = soulstone(database, {"migrate", "reset", "--migrations", shop()});
  EXPECT_EQ(refused.status.code, 7);
  EXPECT_EQ(refused.err,
            "soulstone: error: migrate reset refused without --force: it would drop schema \"public\" of " +
                database.redacted() +
                " with its 3 tables (Order, Product, User) and all their data, then apply 4 migrations "
                "from " +
                shop() +
                " (hint: nothing was changed; run it again with --force if that is what you want)\n");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "1");

  pg::write_mark(connection, pg::Environment::Production);
  auto production = soulstone(database, {"migrate", "reset", "--force", "--migrations", shop()});
  EXPECT_EQ(production.status.code, 7);
  EXPECT_EQ(production.err,
            "soulstone: error: migrate reset refused: " + database.redacted() +
                " is marked production (hint: nothing was changed; if you really mean it, pass "
                "--i-know-this-is-production)\n");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "1");
}

TEST(MigrateCli, ResetDropsEverythingKeepsTheSchemasPrivilegesAndReapplies) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  ASSERT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", shop()}).status.code, 0);
  pg::Connection connection = pg::Connection::open(database);
  connection.exec("INSERT INTO \"User\" (email) VALUES ('a@example.com'); CREATE TABLE stray (id int)");
  const char* shape =
      "SELECT pg_get_userbyid(nspowner), nspacl::text, obj_description(oid, 'pg_namespace') FROM "
      "pg_namespace "
      "WHERE nspname = 'public'";
  pg::Result before = connection.exec(shape);

  auto reset = soulstone(database, {"migrate", "reset", "--force", "--migrations", shop(), "--json"});
  ASSERT_EQ(reset.status.code, 0) << reset.err;
  auto document = nlohmann::json::parse(reset.out);
  EXPECT_EQ(document["dropped_tables"], nlohmann::json({"Order", "Product", "User", "stray"}));
  EXPECT_EQ(document["applied"].size(), 4u);

  pg::Connection after_connection = pg::Connection::open(database);
  EXPECT_EQ(after_connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "0");
  EXPECT_EQ(after_connection.exec("SELECT to_regclass('stray') IS NULL").get(0, 0), "t");
  EXPECT_EQ(after_connection.exec("SELECT count(*) FROM _prisma_migrations").get(0, 0), "4");
  pg::Result after = after_connection.exec(shape);
  for (int column = 0; column < 3; ++column)
    EXPECT_EQ(after.get_optional(0, column), before.get_optional(0, column)) << column;
}

TEST(MigrateCli, PrismasSchemaParameterPicksTheSchema) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  std::string url = database.url() + "?schema=shop";
  auto deployed = soulstone(url, {"migrate", "deploy", "--migrations", shop()});
  ASSERT_EQ(deployed.status.code, 0) << deployed.err;
  pg::Connection connection = pg::Connection::open(database);
  EXPECT_EQ(
      connection.exec("SELECT count(*) FROM shop._prisma_migrations WHERE finished_at IS NOT NULL").get(0, 0),
      "4");
  EXPECT_EQ(
      connection
          .exec("SELECT to_regclass('shop.\"Order\"') IS NOT NULL, to_regclass('public.\"Order\"') IS NULL")
          .get(0, 0),
      "t");
  EXPECT_EQ(soulstone(url, {"migrate", "status", "--migrations", shop()}).status.code, 0);
  // The default schema has no history of its own.
  EXPECT_EQ(soulstone(database, {"migrate", "status", "--migrations", shop()}).status.code, 1);
  auto reset = soulstone(url, {"migrate", "reset", "--force", "--json", "--migrations", shop()});
  ASSERT_EQ(reset.status.code, 0) << reset.err;
  EXPECT_EQ(nlohmann::json::parse(reset.out)["schema"], "shop");
}

TEST(MigrateCli, TwoDeploysAtOnceApplyEachMigrationExactlyOnce) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli");
  TempDir temp("migrate-");
  constexpr int kMigrations = 40;
  for (int i = 0; i < kMigrations; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "202401010000%02d_t%02d", i, i);
    write_file(temp.path() / "m" / name / "migration.sql",
               "CREATE TABLE t" + std::to_string(i) + " (id int);\nSELECT pg_sleep(0.005);\n");
  }
  std::string folder = (temp.path() / "m").string();
  pg::RunResult results[2];
  std::thread first([&] {
    results[0] = soulstone(database, {"migrate", "deploy", "--migrations", folder, "--json"});
  });
  std::thread second([&] {
    results[1] = soulstone(database, {"migrate", "deploy", "--migrations", folder, "--json"});
  });
  first.join();
  second.join();
  std::set<std::string> applied;
  std::size_t total = 0;
  for (const auto& result : results) {
    ASSERT_EQ(result.status.code, 0) << result.err;
    nlohmann::json document = nlohmann::json::parse(result.out);
    for (const auto& migration : document["applied"]) {
      applied.insert(migration["name"].get<std::string>());
      ++total;
    }
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kMigrations));
  EXPECT_EQ(applied.size(), static_cast<std::size_t>(kMigrations));
  pg::Connection connection = pg::Connection::open(database);
  pg::Result rows = connection.exec(
      "SELECT count(*), count(DISTINCT migration_name), count(finished_at) FROM _prisma_migrations");
  for (int column = 0; column < 3; ++column)
    EXPECT_EQ(rows.get(0, column), "40") << column;
}

}  // namespace
}  // namespace soulstone::migrate
