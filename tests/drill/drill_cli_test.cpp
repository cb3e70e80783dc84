// soulstone drill through the real binary: the runbook grows by one section
// per run, --json prints the report, and the exit code is 0 only when every
// check passed.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "postgres_env.hpp"

namespace soulstone::drill {
namespace {

class DrillCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = soulstone::testing::fresh_database("drill_cli_src");
    pg::Connection::open(source_).exec(
        "CREATE TABLE note (id int PRIMARY KEY, body text);"
        "INSERT INTO note SELECT g, 'note ' || g FROM generate_series(1, 500) g;");
    auto backup = soulstone({"backup", "run"});
    ASSERT_EQ(backup.status.code, 0) << backup.err;
  }
  pg::RunResult soulstone(std::vector<std::string> args) {
    args.insert(args.begin(), SOULSTONE_BINARY);
    return pg::run({.argv = args,
                    .env = {{"DATABASE_URL", source_.url()}, {"SOULSTONE_BACKUP_URL", store_}},
                    .cwd = dir_.path()});
  }
  std::string runbook() {
    std::ifstream in(dir_.path() / "docs" / "runbook.md");
    return {std::istreambuf_iterator<char>(in), {}};
  }

  TempDir dir_{"soulstone-test-drill-cli-"};
  std::string store_ = "file://" + (dir_.path() / "store").string();
  pg::ConnInfo source_;
};

TEST_F(DrillCliTest, AppendsOneSectionPerRunAndExitsNonZeroWhenAnyCheckDidNotPass) {
  auto first = soulstone({"drill"});
  // No schema.prisma here: the schema checks cannot run, so the drill cannot pass.
  EXPECT_EQ(first.status.code, 1) << first.err;
  EXPECT_NE(first.err.find(
                "soulstone: error: drill incomplete: 2 check(s) not run; first: schema alignment was not "
                "run: no schema at apps/api/prisma/schema.prisma"),
            std::string::npos)
      << first.err;
  EXPECT_NE(
      first.out.find("passed   verify: row counts and fingerprints (1 tables, 500 rows match the manifest)"),
      std::string::npos)
      << first.out;

  auto second = soulstone({"drill", "--json", "--health-url", "http://127.0.0.1:1/healthz"});
  EXPECT_EQ(second.status.code, 1);
  auto document = nlohmann::json::parse(second.out);
  EXPECT_EQ(document["verdict"], "failed");
  std::string text = runbook();
  std::size_t sections = 0;
  for (auto at = text.find("\n## Restore drill "); at != std::string::npos;
       at = text.find("\n## Restore drill ", at + 1))
    ++sections;
  EXPECT_EQ(sections, 2u);
  std::ifstream log(dir_.path() / "docs" / "runbook.jsonl");
  std::size_t lines = 0;
  for (std::string line; std::getline(log, line); ++lines)
    EXPECT_EQ(nlohmann::json::parse(line)["format"], "soulstone-drill-report");
  EXPECT_EQ(lines, 2u);
}

}  // namespace
}  // namespace soulstone::drill
