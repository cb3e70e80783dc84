// Interoperability with Prisma's own engine, through the oracle
// (../shared/prisma-oracle): a database migrated by either tool reads clean
// in the other, mixed histories work, and failures and edits are seen alike.
// Skipped (with the reason) when node or the oracle cannot run, so CI needs
// neither (SOULSTONE_ORACLE=none skips on purpose); history_rows_test.cpp covers the rows without them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>

#include "base/temp_dir.hpp"
#include "fixtures.hpp"
#include "postgres_env.hpp"

namespace soulstone::migrate {
namespace {

using testing::copy_fixture;
using testing::soulstone;
using testing::write_file;

// SOULSTONE_ORACLE names another oracle (or none: any path that does not exist).
const std::string kOracle = std::getenv("SOULSTONE_ORACLE") != nullptr
                                ? std::string(std::getenv("SOULSTONE_ORACLE"))
                                : std::string(SOULSTONE_SOURCE_DIR) + "/../shared/prisma-oracle/oracle";

pg::RunResult oracle(const std::string& command, const std::filesystem::path& migrations,
                     const pg::ConnInfo& database) {
  return pg::run({.argv = {kOracle, command, "--migrations", migrations.string(), "--url", database.url()}},
                 {.timeout = std::chrono::minutes(3)});
}

// Why the oracle cannot run here, or "" when it can (probed once).
const std::string& oracle_unavailable() {
  static const std::string reason = [] {
    if (::access(kOracle.c_str(), X_OK) != 0) return "the oracle is not at " + kOracle;
    try {
      if (!pg::run({.argv = {"node", "--version"}}).status.ok()) return std::string("node does not run");
      TempDir empty("oracle-probe-");
      auto probe = oracle("status", empty.path(), soulstone::testing::fresh_database("probe"));
      if (!probe.status.ok())
        return "the oracle failed (" + probe.status.describe() + "): " + probe.err.substr(0, 300);
    } catch (const std::exception& error) {
      return std::string("cannot run the oracle: ") + error.what();
    }
    return std::string();
  }();
  return reason;
}

#define REQUIRE_ORACLE()                                                   \
  if (!oracle_unavailable().empty()) GTEST_SKIP() << oracle_unavailable(); \
  static_assert(true)

nlohmann::json oracle_status(const std::filesystem::path& migrations, const pg::ConnInfo& database) {
  auto result = oracle("status", migrations, database);
  EXPECT_TRUE(result.status.ok()) << result.err;
  return nlohmann::json::parse(result.out);
}

const nlohmann::json kClean = nlohmann::json::parse(
    R"({"editedMigrationNames":[],"failedMigrationNames":[],"hasMigrationsTable":true,"history":null})");

nlohmann::json our_status(const std::filesystem::path& migrations, const pg::ConnInfo& database,
                          int expected_exit) {
  auto result = soulstone(database, {"migrate", "status", "--json", "--migrations", migrations.string()});
  EXPECT_EQ(result.status.code, expected_exit) << result.err;
  return nlohmann::json::parse(result.out);
}

TEST(Interop, ADatabaseMigratedByPrismaIsCleanInOurStatus) {
  REQUIRE_ORACLE();
  pg::ConnInfo database = soulstone::testing::fresh_database("interop");
  auto shop = testing::data_dir() / "shop";
  auto applied = oracle("apply", shop, database);
  ASSERT_TRUE(applied.status.ok()) << applied.err;
  auto report = our_status(shop, database, 0);
  EXPECT_EQ(report["up_to_date"], true);
  EXPECT_EQ(report["applied"].size(), 4u);
  // And our deploy finds nothing to do.
  auto deploy = soulstone(database, {"migrate", "deploy", "--json", "--migrations", shop.string()});
  ASSERT_EQ(deploy.status.code, 0) << deploy.err;
  EXPECT_TRUE(nlohmann::json::parse(deploy.out)["applied"].empty());
}

TEST(Interop, ADatabaseMigratedByUsIsCleanInPrismasStatus) {
  REQUIRE_ORACLE();
  pg::ConnInfo database = soulstone::testing::fresh_database("interop");
  auto shop = testing::data_dir() / "shop";
  ASSERT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", shop.string()}).status.code, 0);
  EXPECT_EQ(oracle_status(shop, database), kClean);
  auto again = oracle("apply", shop, database);
  ASSERT_TRUE(again.status.ok()) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["appliedMigrationNames"], nlohmann::json::array());
}

TEST(Interop, MixedHistoriesWorkInBothOrders) {
  REQUIRE_ORACLE();
  for (bool prisma_first : {true, false}) {
    SCOPED_TRACE(prisma_first ? "Prisma, then soulstone" : "soulstone, then Prisma");
    pg::ConnInfo database = soulstone::testing::fresh_database("interop");
    TempDir temp("interop-");
    auto folder = copy_fixture("shop", temp.path() / "migrations");
    TempDir later("interop-later-");
    for (const char* name : {"20240103000000_add_user_name", "20240104000000_order_status"})
      std::filesystem::rename(folder / name, later.path() / name);

    auto first = prisma_first ? oracle("apply", folder, database)
                              : soulstone(database, {"migrate", "deploy", "--migrations", folder.string()});
    ASSERT_TRUE(first.status.ok()) << first.err;
    for (const char* name : {"20240103000000_add_user_name", "20240104000000_order_status"})
      std::filesystem::rename(later.path() / name, folder / name);
    auto second = prisma_first ? soulstone(database, {"migrate", "deploy", "--migrations", folder.string()})
                               : oracle("apply", folder, database);
    ASSERT_TRUE(second.status.ok()) << second.err;

    EXPECT_EQ(oracle_status(folder, database), kClean);
    auto report = our_status(folder, database, 0);
    EXPECT_EQ(report["applied"].size(), 4u);
  }
}

TEST(Interop, FailuresAreSeenAndBlockedByBothTools) {
  REQUIRE_ORACLE();
  auto broken = testing::data_dir() / "broken";
  {
    SCOPED_TRACE("failed by soulstone");
    pg::ConnInfo database = soulstone::testing::fresh_database("interop");
    EXPECT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", broken.string()}).status.code, 4);
    auto status = oracle_status(broken, database);
    EXPECT_EQ(status["failedMigrationNames"], nlohmann::json({"20240102000000_bad_reference"}));
    auto blocked = oracle("apply", broken, database);
    EXPECT_FALSE(blocked.status.ok());
    EXPECT_NE(blocked.err.find("migrate found failed migrations"), std::string::npos) << blocked.err;
  }
  {
    SCOPED_TRACE("failed by Prisma");
    pg::ConnInfo database = soulstone::testing::fresh_database("interop");
    EXPECT_FALSE(oracle("apply", broken, database).status.ok());
    auto report = our_status(broken, database, 1);
    EXPECT_EQ(report["failed"], nlohmann::json({"20240102000000_bad_reference"}));
    auto blocked = soulstone(database, {"migrate", "deploy", "--migrations", broken.string()});
    EXPECT_EQ(blocked.status.code, 7);
    EXPECT_NE(blocked.err.find("(P3009)"), std::string::npos) << blocked.err;
    // Our resolve clears it for Prisma as well.
    auto resolved =
        soulstone(database, {"migrate", "resolve", "--rolled-back", "20240102000000_bad_reference"});
    ASSERT_EQ(resolved.status.code, 0) << resolved.err;
    EXPECT_EQ(oracle_status(broken, database)["failedMigrationNames"], nlohmann::json::array());
  }
}

TEST(Interop, EditedMigrationsAreSeenByBothTools) {
  REQUIRE_ORACLE();
  pg::ConnInfo database = soulstone::testing::fresh_database("interop");
  TempDir temp("interop-");
  auto folder = copy_fixture("shop", temp.path() / "migrations");
  ASSERT_EQ(soulstone(database, {"migrate", "deploy", "--migrations", folder.string()}).status.code, 0);
  write_file(folder / "20240103000000_add_user_name/migration.sql",
             "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"nick\" TEXT;\n");
  EXPECT_EQ(oracle_status(folder, database)["editedMigrationNames"],
            nlohmann::json({"20240103000000_add_user_name"}));
  EXPECT_EQ(our_status(folder, database, 1)["edited"], nlohmann::json({"20240103000000_add_user_name"}));
}

}  // namespace
}  // namespace soulstone::migrate
