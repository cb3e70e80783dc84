// soulstone restore through the real binary: output, --json and exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/temp_dir.hpp"
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

}  // namespace
}  // namespace soulstone::restore
