// soulstone restore through the real binary: output, --json and exit codes.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/temp_dir.hpp"
#include "child_output.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "postgres_env.hpp"

namespace soulstone::restore {
namespace {

class RestoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = soulstone::testing::fresh_database("restore_cli_src");
    pg::Connection::open(source_).exec(
        "CREATE TABLE note (id int PRIMARY KEY, body text);"
        "INSERT INTO note SELECT g, 'note ' || g FROM generate_series(1, 500) g;");
    auto backup = soulstone({"backup", "run", "--json"});
    ASSERT_EQ(backup.status.code, 0) << backup.err;
  }
  pg::RunResult soulstone(std::vector<std::string> args) {
    args.insert(args.begin(), SOULSTONE_BINARY);
    return pg::run(
        {.argv = args, .env = {{"DATABASE_URL", source_.url()}, {"SOULSTONE_BACKUP_URL", store_}}});
  }

  TempDir dir_{"soulstone-test-restore-cli-"};
  std::string store_ = "file://" + (dir_.path() / "store").string();
  pg::ConnInfo source_;
};

TEST_F(RestoreCliTest, RestoresLatestAndReportsItAsJson) {
  pg::ConnInfo target = soulstone::testing::postgres("restore_cli_new_" + std::to_string(::getpid()));
  auto run = soulstone({"restore", "latest", "--to", target.url(), "--create", "--jobs", "2", "--json"});
  ASSERT_EQ(run.status.code, 0) << run.err;
  auto document = nlohmann::json::parse(run.out);
  EXPECT_EQ(document["target"], target.redacted());
  EXPECT_EQ(document["created"], true);
  EXPECT_EQ(document["mode"], "staged");
  EXPECT_EQ(document["rows"], 500);
  EXPECT_EQ(pg::Connection::open(target).exec("SELECT count(*) FROM note").get(0, 0), "500");
}

TEST_F(RestoreCliTest, ARefusalExitsWithSevenAndSaysWhy) {
  auto run = soulstone({"restore", "--to", source_.url(), "--json"});
  EXPECT_EQ(run.status.code, 7);
  auto error = nlohmann::json::parse(run.err)["error"];
  EXPECT_EQ(error["kind"], "refused");
  EXPECT_EQ(error["message"], "restore refused: " + source_.redacted() + " already holds 1 table(s)");
  auto text = soulstone({"restore", "--to", source_.url()});
  EXPECT_EQ(text.status.code, 7);
  EXPECT_EQ(text.err,
            "soulstone: error: restore refused: " + source_.redacted() +
                " already holds 1 table(s) (hint: nothing was changed; pass --clean to drop and replace "
                "the objects the backup holds, or restore into a new database with --create)\n");
}

TEST_F(RestoreCliTest, AnUnknownBackupIsBadInput) {
  auto run = soulstone({"restore", "soulstone-19990101-000000", "--to", source_.url()});
  EXPECT_EQ(run.status.code, 3);
  EXPECT_NE(run.err.find("no backup 'soulstone-19990101-000000' in "), std::string::npos) << run.err;
}

// SIGTERM while the proven dump is being staged for a parallel restore: the
// private staged file is removed and the database made by --create dropped.
TEST_F(RestoreCliTest, SigtermLeavesNeitherAStagedDumpNorACreatedDatabase) {
  pg::Connection::open(source_).exec(
      "CREATE TABLE bulk (id bigint PRIMARY KEY, body text);"
      "INSERT INTO bulk SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 1500000) g;");
  ASSERT_EQ(soulstone({"backup", "run"}).status.code, 0);
  std::filesystem::path staging = dir_.path() / "staging";
  std::filesystem::create_directories(staging);
  const std::string name = "restore_cli_stop_" + std::to_string(::getpid());
  pg::ConnInfo target = soulstone::testing::postgres(name);
  pg::Child restore = pg::spawn({.argv = {SOULSTONE_BINARY, "restore", "latest", "--to", target.url(),
                                          "--create", "--jobs", "2", "--staging-dir", staging.string()},
                                 .env = {{"SOULSTONE_BACKUP_URL", store_}}},
                                {.out = pg::Stdio::Null, .err = pg::Stdio::Pipe});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::filesystem::is_empty(staging)) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no staged dump appeared";
    ASSERT_FALSE(restore.try_wait().has_value()) << "the restore ended before it staged anything";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  restore.kill(SIGTERM);
  std::string err = soulstone::testing::read_stderr_to_end(restore);
  pg::ExitStatus status = restore.wait();
  EXPECT_EQ(status.signal, 0) << "killed by the signal instead of stopping: " << err;
  EXPECT_EQ(status.code, 130) << err;
  // Stopped while the dump was staged, before the database was made.
  EXPECT_EQ(err,
            "soulstone: error: aborted: a stop was requested (SIGTERM or SIGINT); nothing was restored: " +
                target.redacted() + " is unchanged\n");
  EXPECT_TRUE(std::filesystem::is_empty(staging)) << "the staged dump was left behind";
  auto server = pg::Connection::open(source_.with_database("postgres"));
  EXPECT_EQ(server.exec("SELECT count(*) FROM pg_database WHERE datname = $1", {name}).get(0, 0), "0");
}

}  // namespace
}  // namespace soulstone::restore
