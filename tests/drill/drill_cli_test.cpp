// soulstone drill through the real binary: the runbook grows by one section
// per run, --json prints the report, and the exit code is 0 only when every
// check passed.
#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/temp_dir.hpp"
#include "child_output.hpp"
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

// A drill stopped by SIGTERM while it restores into a fresh instance: the
// instance is stopped and removed, the report says what did not run, and the
// exit code and message say the drill was stopped.
TEST_F(DrillCliTest, SigtermStopsTheDrillRemovesTheFreshInstanceAndAppendsTheReport) {
  // Enough rows that the restore is still running when the signal comes.
  pg::Connection::open(source_).exec(
      "CREATE TABLE bulk (id bigint PRIMARY KEY, body text);"
      "INSERT INTO bulk SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 1500000) g;");
  ASSERT_EQ(soulstone({"backup", "run"}).status.code, 0);
  std::filesystem::path instances = dir_.path() / "instances";
  std::filesystem::create_directories(instances);
  for (const auto& folder : {dir_.path(), instances})  // the server's account must reach it
    std::filesystem::permissions(folder,
                                 std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add);

  pg::Child drill = pg::spawn({.argv = {SOULSTONE_BINARY, "drill", "--fresh-instance"},
                               .env = {{"DATABASE_URL", source_.url()},
                                       {"SOULSTONE_BACKUP_URL", store_},
                                       {"TMPDIR", instances.string()}},
                               .cwd = dir_.path()},
                              {.out = pg::Stdio::Null, .err = pg::Stdio::Pipe});
  std::string err;
  ASSERT_TRUE(soulstone::testing::read_stderr_until(drill, "drill: restore\n", err))
      << "the drill ended before its restore: " << err;
  drill.kill(SIGTERM);
  err += soulstone::testing::read_stderr_to_end(drill);
  pg::ExitStatus status = drill.wait();
  EXPECT_EQ(status.code, 130) << status.describe() << "\n" << err;
  EXPECT_NE(err.find("soulstone: error: drill stopped by SIGTERM: the checks still to come were not run; the "
                     "copy was dropped"),
            std::string::npos)
      << err;
  EXPECT_TRUE(std::filesystem::is_empty(instances)) << "the fresh instance was left behind";
  std::string text = runbook();
  EXPECT_NE(text.find("the drill was stopped"), std::string::npos) << text;
  // The source is untouched, and the next drill runs as usual.
  EXPECT_EQ(pg::Connection::open(source_).exec("SELECT count(*) FROM bulk").get(0, 0), "1500000");
  auto again = soulstone({"drill", "--fresh-instance"});
  EXPECT_NE(again.out.find(
                "passed   verify: row counts and fingerprints (2 tables, 1500500 rows match the manifest)"),
            std::string::npos)
      << again.out << again.err;
}

}  // namespace
}  // namespace soulstone::drill
