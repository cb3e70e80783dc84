// soulstone pg start|status|url|stop through the real binary, on a folder of
// its own.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::cli {
namespace {

class PgCommands : public ::testing::Test {
 protected:
  void SetUp() override { ::chmod(folder_.path().c_str(), 0755); }
  void TearDown() override { (void)soulstone({"pg", "stop"}); }

  pg::RunResult soulstone(std::vector<std::string> args) {
    args.insert(args.begin(), {SOULSTONE_BINARY, "--pg-dir", (folder_.path() / "pg").string()});
    return pg::run({.argv = args});
  }

  TempDir folder_{"soulstone-test-cli-"};
};

TEST_F(PgCommands, StartPrintsAWorkingUrl) {
  auto start = soulstone({"pg", "start"});
  ASSERT_EQ(start.status.code, 0) << start.err;
  auto url = soulstone({"pg", "url"});
  ASSERT_EQ(url.status.code, 0) << url.err;
  ASSERT_EQ(url.out.back(), '\n');
  std::string text = url.out.substr(0, url.out.size() - 1);
  EXPECT_EQ(text.rfind("postgresql://postgres@127.0.0.1:", 0), 0u) << text;
  // psql, an independent client, connects with it.
  auto psql = pg::run({.argv = {"psql", text, "-X", "-A", "-t", "-c", "select 1"}});
  EXPECT_EQ(psql.status.code, 0) << psql.err;
  EXPECT_EQ(psql.out, "1\n");
}

TEST_F(PgCommands, StatusReportsBothStatesAsJson) {
  auto stopped = soulstone({"pg", "status", "--json"});
  EXPECT_EQ(stopped.status.code, 1);
  auto before = nlohmann::json::parse(stopped.out);
  EXPECT_EQ(before["running"], false);
  EXPECT_EQ(before["initialized"], false);

  ASSERT_EQ(soulstone({"pg", "start"}).status.code, 0);
  auto running = soulstone({"--json", "pg", "status"});
  EXPECT_EQ(running.status.code, 0) << running.err;
  auto after = nlohmann::json::parse(running.out);
  EXPECT_EQ(after["running"], true);
  EXPECT_GT(after["pid"].get<int>(), 0);
  EXPECT_EQ(after["url"].get<std::string>().rfind("postgresql://postgres@127.0.0.1:", 0), 0u);
}

TEST_F(PgCommands, StopIsCleanAndIdempotent) {
  ASSERT_EQ(soulstone({"pg", "start"}).status.code, 0);
  auto stop = soulstone({"pg", "stop"});
  EXPECT_EQ(stop.status.code, 0);
  EXPECT_EQ(stop.out, "embedded PostgreSQL stopped\n");
  auto again = soulstone({"pg", "stop"});
  EXPECT_EQ(again.status.code, 0);
  EXPECT_EQ(again.out, "embedded PostgreSQL was not running\n");
  auto url = soulstone({"pg", "url"});
  EXPECT_EQ(url.status.code, 1);
  EXPECT_NE(url.err.find("is not running (hint: start it with `soulstone pg start`"), std::string::npos)
      << url.err;
}

}  // namespace
}  // namespace soulstone::cli
