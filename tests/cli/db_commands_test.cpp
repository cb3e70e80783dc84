// soulstone db mark through the real binary, against a database of the test
// cluster named by DATABASE_URL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pg/subprocess.hpp"
#include "postgres_env.hpp"

namespace soulstone::cli {
namespace {

pg::RunResult soulstone(const pg::ConnInfo& database, std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  return pg::run({.argv = args, .env = {{"DATABASE_URL", database.url()}}});
}

TEST(DbMark, SetsAndShowsTheMark) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli_mark");
  auto none = soulstone(database, {"db", "mark", "--json"});
  ASSERT_EQ(none.status.code, 0) << none.err;
  EXPECT_TRUE(nlohmann::json::parse(none.out)["environment"].is_null());

  auto set = soulstone(database, {"db", "mark", "production"});
  ASSERT_EQ(set.status.code, 0) << set.err;
  EXPECT_EQ(set.out, database.redacted() + ": production\n");
  auto shown = soulstone(database, {"--json", "db", "mark"});
  EXPECT_EQ(nlohmann::json::parse(shown.out)["environment"], "production");
}

TEST(DbMark, RefusesAnUnknownMarkAsAUsageError) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli_mark");
  auto bad = soulstone(database, {"db", "mark", "prod"});
  EXPECT_EQ(bad.status.code, 2);
  EXPECT_NE(bad.err.find("prod not in {production,staging,development}"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace soulstone::cli
