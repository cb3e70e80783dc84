// soulstone db mark through the real binary, against a database of the test
// cluster named by DATABASE_URL.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pg/connection.hpp"
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

// Prisma's DATABASE_URL carries `?schema=name`, which libpq rejects: every
// command takes it out, and puts a schema other than public on the search
// path, as the migrate commands do.
TEST(DatabaseUrl, PrismasSchemaParameterWorksForEveryCommand) {
  pg::ConnInfo database = soulstone::testing::fresh_database("cli_prisma_url");
  pg::Connection::open(database).exec("CREATE SCHEMA shop; CREATE TABLE shop.marker (id int)");
  std::string url = database.url();
  url += url.find('?') == std::string::npos ? "?schema=shop" : "&schema=shop";
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), SOULSTONE_BINARY);
    return pg::run({.argv = args, .env = {{"DATABASE_URL", url}}});
  };
  auto mark = run({"db", "mark", "staging"});
  ASSERT_EQ(mark.status.code, 0) << mark.err;
  EXPECT_EQ(mark.out, database.redacted() + "?options=-csearch_path%3Dshop: staging\n");
  // pg_dump gets the same URL.
  auto snapshot = run({"--json", "snapshot", "create",
                       (std::filesystem::temp_directory_path() /
                        ("soulstone-prisma-url-" + std::to_string(::getpid()) + ".dump.zst"))
                           .string(),
                       "--force"});
  ASSERT_EQ(snapshot.status.code, 0) << snapshot.err;
  std::filesystem::remove(nlohmann::json::parse(snapshot.out)["file"].get<std::string>());
}

}  // namespace
}  // namespace soulstone::cli
