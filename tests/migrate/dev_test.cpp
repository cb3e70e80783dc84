// soulstone migrate dev through the real binary against a throw-away
// cluster: it creates, applies and records migrations as Prisma does; it
// refuses (changing nothing, naming what would be lost) on drift, edited,
// failed and broken migrations, data loss and production; --force resets;
// and the shadow database is gone afterwards in every case, Ctrl-C and
// SIGKILL included.

#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include "base/temp_dir.hpp"
#include "fixtures.hpp"
#include "migrate/checksum.hpp"
#include "migrate/lock_file.hpp"
#include "pg/environment_mark.hpp"
#include "postgres_env.hpp"

namespace soulstone::migrate {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::write_file;

const fs::path kDev = fs::path(SOULSTONE_SOURCE_DIR) / "tests/migrate/dev";

// A project folder: prisma/schema.prisma (a copy of dev/schemas/<version>)
// and prisma/migrations.
struct Project {
  TempDir root{"migrate-dev-"};
  [[nodiscard]] fs::path schema() const { return root.path() / "prisma" / "schema.prisma"; }
  [[nodiscard]] fs::path migrations() const { return root.path() / "prisma" / "migrations"; }
  void use(const std::string& version) const {
    write_file(schema(), read_file(kDev / "schemas" / (version + ".prisma")));
  }
  [[nodiscard]] std::vector<std::string> folders() const {
    std::vector<std::string> names;
    if (!fs::exists(migrations())) return names;
    for (const auto& entry : fs::directory_iterator(migrations()))
      if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  [[nodiscard]] fs::path file(const std::string& folder) const {
    return migrations() / folder / "migration.sql";
  }
};

pg::Command command(const pg::ConnInfo& database, const Project& project, std::vector<std::string> args,
                    const std::string& shadow = "") {
  std::vector<std::string> argv = {SOULSTONE_BINARY, "migrate", "dev", "--schema", project.schema().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return {.argv = argv, .env = {{"DATABASE_URL", database.url()}, {"SHADOW_DATABASE_URL", shadow}}};
}

pg::RunResult dev(const pg::ConnInfo& database, const Project& project, std::vector<std::string> args = {},
                  const std::string& shadow = "") {
  return pg::run(command(database, project, std::move(args), shadow));
}

pg::RunResult status(const pg::ConnInfo& database, const Project& project) {
  return pg::run({.argv = {SOULSTONE_BINARY, "migrate", "status", "--schema", project.schema().string()},
                  .env = {{"DATABASE_URL", database.url()}}});
}

std::string value(const pg::ConnInfo& database, const std::string& sql) {
  pg::Connection connection = pg::Connection::open(database);
  return std::string(connection.exec(sql).get(0, 0));
}

int shadow_databases() {
  return std::stoi(
      value(soulstone::testing::postgres(),
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'prisma\\_migrate\\_shadow\\_db\\_%'"));
}

std::string column_exists(const std::string& table, const std::string& column) {
  return "SELECT count(*) FROM information_schema.columns WHERE table_name = '" + table +
         "' AND column_name = '" + column + "'";
}

// A project whose database is migrated to `version` by dev itself.
struct Migrated {
  Project project;
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  std::string init;
  explicit Migrated(const std::string& version = "v1") {
    project.use(version);
    pg::RunResult result = dev(database, project, {"--name", "init"});
    EXPECT_EQ(result.status.code, 0) << result.err;
    init = project.folders().at(0);
  }
};

class MigrateDev : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(shadow_databases(), 0) << "a shadow database was left behind"; }
};

TEST_F(MigrateDev, CreatesAppliesAndRecordsMigrations) {
  Project project;
  project.use("v1");
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  pg::RunResult first = dev(database, project, {"--name", "init"});
  ASSERT_EQ(first.status.code, 0) << first.err;
  std::vector<std::string> folders = project.folders();
  ASSERT_EQ(folders.size(), 1u);
  EXPECT_TRUE(std::regex_match(folders[0], std::regex("\\d{14}_init"))) << folders[0];
  // The file Prisma's migrate dev writes for this schema (its diff from an empty history).
  EXPECT_EQ(read_file(project.file(folders[0])), read_file(kDev / "golden" / "v1-init.sql"));
  EXPECT_EQ(read_file(project.migrations() / "migration_lock.toml"), render_lock_file());
  EXPECT_EQ(first.out, "applied " + folders[0] + "\nCreated and applied " +
                           project.file(folders[0]).string() +
                           ".\nYour database is now in sync with your schema.\n");
  EXPECT_EQ(value(database,
                  "SELECT migration_name || ' ' || checksum || ' ' || applied_steps_count || ' ' || "
                  "(finished_at IS NOT NULL) FROM _prisma_migrations"),
            folders[0] + " " + checksum(read_file(project.file(folders[0]))) + " 1 true");

  project.use("v2");
  pg::RunResult second = dev(database, project, {"--name", "Add user bio"});
  ASSERT_EQ(second.status.code, 0) << second.err;
  folders = project.folders();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_TRUE(std::regex_match(folders[1], std::regex("\\d{14}_add_user_bio"))) << folders[1];
  EXPECT_EQ(read_file(project.file(folders[1])), read_file(kDev / "golden" / "v2-after-v1.sql"));
  EXPECT_EQ(value(database, column_exists("User", "bio")), "1");
  EXPECT_EQ(status(database, project).status.code, 0);

  pg::RunResult third = dev(database, project);
  EXPECT_EQ(third.status.code, 0) << third.err;
  EXPECT_EQ(third.out, "Already in sync, no schema change or pending migration was found.\n");
  EXPECT_EQ(project.folders().size(), 2u);
}

TEST_F(MigrateDev, CreateOnlyWritesWithoutApplyingAndTheNextRunApplies) {
  Project project;
  project.use("v1");
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  pg::RunResult created = dev(database, project, {"--create-only", "--name", "init", "--json"});
  ASSERT_EQ(created.status.code, 0) << created.err;
  auto document = nlohmann::json::parse(created.out);
  std::vector<std::string> folders = project.folders();
  ASSERT_EQ(folders.size(), 1u);
  EXPECT_EQ(document["created"], folders[0]);
  EXPECT_EQ(document["applied_created"], false);
  EXPECT_EQ(document["lock_file_written"], true);
  EXPECT_EQ(value(database, "SELECT to_regclass('\"User\"') IS NULL"), "t");
  EXPECT_EQ(value(database, "SELECT count(*) FROM _prisma_migrations"), "0");
  EXPECT_EQ(status(database, project).status.code, 1);  // pending

  pg::RunResult applied = dev(database, project);
  ASSERT_EQ(applied.status.code, 0) << applied.err;
  EXPECT_EQ(applied.out, "applied " + folders[0] + "\nYour database is now in sync with your schema.\n");
  EXPECT_EQ(project.folders().size(), 1u);
  EXPECT_EQ(value(database, "SELECT to_regclass('\"User\"') IS NULL"), "f");
}

std::string drift_reason() {
  std::string reason =
      nlohmann::json::parse(read_file(kDev / "golden" / "drift.json"))["action"]["reason"].get<std::string>();
  while (!reason.empty() && reason.back() == '\n')
    reason.pop_back();
  return reason;
}

TEST_F(MigrateDev, ReportsDriftAndDropsNothingWithoutForce) {
  Migrated m;
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec(
      "INSERT INTO \"User\" (email, name) VALUES ('a@example.com', 'Ada'), ('b@example.com', NULL), "
      "('c@example.com', 'Cy'); INSERT INTO \"Post\" (title, \"authorId\") VALUES ('Hello', 1); "
      "ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT");

  pg::RunResult refused = dev(m.database, m.project);
  EXPECT_EQ(refused.status.code, 7);
  // Prisma's reason, word for word (devDiagnostic's answer for this database).
  EXPECT_EQ(
      refused.err,
      "soulstone: error: migrate dev must reset the \"public\" schema of " + m.database.redacted() +
          " to go on, which would drop 2 tables (Post: 1 row, User: 3 rows; 4 rows in all):\n" +
          drift_reason() +
          " (hint: nothing was changed; to keep the data, undo the changes made by hand, or record them in "
          "a migration and mark it with `soulstone migrate resolve --applied NAME`; to start over, run "
          "`soulstone migrate dev --force`, which drops all of it and applies every migration again)\n");
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "3");
  EXPECT_EQ(connection.exec("SELECT string_agg(name, ',' ORDER BY id) FROM \"User\"").get(0, 0), "Ada,Cy");
  EXPECT_EQ(connection.exec(column_exists("User", "nickname")).get(0, 0), "1");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM _prisma_migrations").get(0, 0), "1");
  EXPECT_EQ(m.project.folders().size(), 1u);
}

TEST_F(MigrateDev, ForceResetsAndAppliesEveryMigrationAgain) {
  Migrated m;
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec(
      "INSERT INTO \"User\" (email) VALUES ('a@example.com'), ('b@example.com'); "
      "ALTER TABLE \"User\" ADD COLUMN \"nickname\" TEXT");
  m.project.use("v2");
  pg::RunResult forced = dev(m.database, m.project, {"--force", "--name", "bio"});
  ASSERT_EQ(forced.status.code, 0) << forced.err;
  std::vector<std::string> folders = m.project.folders();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(forced.out,
            "applied " + m.init + "\napplied " + folders[1] +
                "\nDatabase reset (--force): 2 tables with 2 rows dropped, 1 migration applied again.\n"
                "Created and applied " +
                m.project.file(folders[1]).string() + ".\nYour database is now in sync with your schema.\n");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "0");
  EXPECT_EQ(connection.exec(column_exists("User", "nickname")).get(0, 0), "0");
  EXPECT_EQ(connection.exec(column_exists("User", "bio")).get(0, 0), "1");
  EXPECT_EQ(status(m.database, m.project).status.code, 0);
}

TEST_F(MigrateDev, AnEditedAppliedMigrationIsReportedByDevAndStatus) {
  Migrated m;
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec("INSERT INTO \"User\" (email) VALUES ('a@example.com')");
  write_file(m.project.file(m.init), read_file(m.project.file(m.init)) + "\n-- a comment added later\n");

  pg::RunResult refused = dev(m.database, m.project);
  EXPECT_EQ(refused.status.code, 7);
  EXPECT_EQ(
      refused.err,
      "soulstone: error: migrate dev must reset the \"public\" schema of " + m.database.redacted() +
          " to go on, which would drop 2 tables (Post: 0 rows, User: 1 row; 1 row in all):\nThe migration `" +
          m.init +
          "` was modified after it was applied. (hint: nothing was changed; to keep the data, restore " +
          m.init +
          "/migration.sql as it was applied (e.g. from git) and put the change in a new migration; to start "
          "over, run `soulstone migrate dev --force`, which drops all of it and applies every migration "
          "again)\n");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "1");

  pg::RunResult reported = status(m.database, m.project);
  EXPECT_EQ(reported.status.code, 1);
  EXPECT_NE(reported.out.find("Edited after they were applied (checksum differs) (1):\n  " + m.init + "\n"),
            std::string::npos)
      << reported.out;
}

TEST_F(MigrateDev, AFailedMigrationIsReportedAndKeepsTheData) {
  Migrated m;
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec("INSERT INTO \"User\" (email) VALUES ('a@example.com'), ('b@example.com')");
  // Runs on an empty table (the shadow database) but not on this data.
  std::string failing = "20990101000000_require_age";
  write_file(m.project.file(failing), "ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER NOT NULL;\n");
  pg::RunResult deploy =
      pg::run({.argv = {SOULSTONE_BINARY, "migrate", "deploy", "--schema", m.project.schema().string()},
               .env = {{"DATABASE_URL", m.database.url()}}});
  ASSERT_EQ(deploy.status.code, 4) << deploy.err;

  pg::RunResult refused = dev(m.database, m.project);
  EXPECT_EQ(refused.status.code, 7);
  EXPECT_EQ(
      refused.err,
      "soulstone: error: migrate dev must reset the \"public\" schema of " + m.database.redacted() +
          " to go on, which would drop 2 tables (Post: 0 rows, User: 2 rows; 2 rows in all):\nThe migration "
          "`" +
          failing +
          "` failed. (hint: nothing was changed; to keep the data, repair the database by hand and mark the "
          "migration with `soulstone migrate resolve --rolled-back " +
          failing +
          "` (or --applied); to start over, run `soulstone migrate dev --force`, which drops all of it and "
          "applies every migration again)\n");
  EXPECT_EQ(connection.exec("SELECT count(*) FROM \"User\"").get(0, 0), "2");
  EXPECT_NE(
      status(m.database, m.project).out.find("Failed (deploy refuses until resolved) (1):\n  " + failing),
      std::string::npos);
}

TEST_F(MigrateDev, AMigrationThatDoesNotReplayStopsEverything) {
  Migrated m;
  std::string broken = "20990101000000_broken";
  write_file(m.project.file(broken), "-- a typo\nALTER TABLE \"Usr\" ADD COLUMN \"age\" INTEGER;\n");
  pg::RunResult failed = dev(m.database, m.project);
  EXPECT_EQ(failed.status.code, 4);
  EXPECT_EQ(failed.err,
            "soulstone: error: migration " + broken +
                " failed to apply cleanly to the shadow database (P3006): ERROR 42P01: relation \"Usr\" "
                "does not exist at " +
                m.project.file(broken).string() +
                ":2 (statement 1) (hint: nothing was changed; fix the migration file (or whatever it "
                "depends on) and run migrate dev again)\n");
  EXPECT_EQ(value(m.database, "SELECT count(*) FROM _prisma_migrations"), "1");
}

TEST_F(MigrateDev, DataLossNeedsForceAndTheFileCarriesPrismasWarnings) {
  Migrated m("v2");
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec(
      "INSERT INTO \"User\" (email, name) VALUES ('a@example.com', 'Ada'), ('b@example.com', 'Bo'), "
      "('c@example.com', 'Cy')");
  m.project.use("v3-drop-name");
  pg::RunResult refused = dev(m.database, m.project, {"--name", "drop name"});
  EXPECT_EQ(refused.status.code, 7);
  EXPECT_EQ(refused.err,
            "soulstone: error: the new migration would lose data in " + m.database.redacted() +
                ":\n  - You are about to drop the column `name` on the `User` table, which still "
                "contains 3 non-null values. (hint: nothing was written or changed; run it again with "
                "--force to create and apply it anyway, or with --create-only to write it for review)\n");
  EXPECT_EQ(m.project.folders().size(), 1u);
  EXPECT_EQ(connection.exec(column_exists("User", "name")).get(0, 0), "1");

  pg::RunResult forced = dev(m.database, m.project, {"--name", "drop name", "--force"});
  ASSERT_EQ(forced.status.code, 0) << forced.err;
  std::vector<std::string> folders = m.project.folders();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_TRUE(folders[1].ends_with("_drop_name"));
  EXPECT_EQ(read_file(m.project.file(folders[1])),
            "/*\n  Warnings:\n\n  - You are about to drop the column `name` on the `User` table. All the "
            "data in the "
            "column will be lost.\n\n*/\n-- AlterTable\nALTER TABLE \"User\" DROP COLUMN \"name\";\n");
  EXPECT_NE(
      forced.out.find("Warning: You are about to drop the column `name` on the `User` table, which still "
                      "contains 3 non-null values.\n"),
      std::string::npos);
  EXPECT_EQ(connection.exec(column_exists("User", "name")).get(0, 0), "0");
}

TEST_F(MigrateDev, AStepThatCannotRunOnTheDataIsWrittenOnlyWithCreateOnly) {
  Migrated m("v2");
  pg::Connection connection = pg::Connection::open(m.database);
  connection.exec("INSERT INTO \"User\" (email) VALUES ('a@example.com'), ('b@example.com')");
  m.project.use("v3-required-age");
  pg::RunResult refused = dev(m.database, m.project, {"--name", "age", "--force"});
  EXPECT_EQ(refused.status.code, 1);
  EXPECT_EQ(
      refused.err,
      "soulstone: error: the new migration cannot be applied to " + m.database.redacted() +
          " as it stands:\n  - Step 0 Added the required column `age` to the `User` table without a default "
          "value. There are 2 rows in this table, it is not possible to execute this step. (hint: nothing "
          "was written or changed; write it with --create-only, edit it to deal with the data (a default, a "
          "backfill), then run `soulstone migrate dev` to apply it)\n");
  EXPECT_EQ(m.project.folders().size(), 1u);

  pg::RunResult drafted = dev(m.database, m.project, {"--name", "age", "--create-only"});
  ASSERT_EQ(drafted.status.code, 0) << drafted.err;
  std::vector<std::string> folders = m.project.folders();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_EQ(
      read_file(m.project.file(folders[1])),
      "/*\n  Warnings:\n\n  - Added the required column `age` to the `User` table without a default value. "
      "This is not possible if the table is not empty.\n\n*/\n-- AlterTable\nALTER TABLE \"User\" ADD COLUMN "
      "  "
      "  \"age\" INTEGER NOT NULL;\n");
  EXPECT_EQ(connection.exec(column_exists("User", "age")).get(0, 0), "0");
}

TEST_F(MigrateDev, RefusesADatabaseMarkedProduction) {
  Project project;
  project.use("v1");
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  pg::Connection connection = pg::Connection::open(database);
  pg::write_mark(connection, pg::Environment::Production);
  pg::RunResult refused = dev(database, project, {"--name", "init", "--force"});
  EXPECT_EQ(refused.status.code, 7);
  EXPECT_EQ(refused.err,
            "soulstone: error: migrate dev refused: " + database.redacted() +
                " is marked production (hint: nothing was changed; migrate dev is for development "
                "databases: apply migrations to production with `soulstone migrate deploy`)\n");
  EXPECT_FALSE(fs::exists(project.migrations()));
  EXPECT_EQ(connection.exec("SELECT to_regclass('_prisma_migrations') IS NULL").get(0, 0), "t");
}

TEST_F(MigrateDev, UsesAConfiguredShadowDatabaseAndNeverTheDatabaseItself) {
  Project project;
  project.use("v1");
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  pg::ConnInfo shadow = soulstone::testing::fresh_database("shadow");
  pg::Connection scratch = pg::Connection::open(shadow);
  scratch.exec("CREATE TABLE leftover (id int)");
  pg::RunResult result = dev(database, project, {"--name", "init"}, shadow.url());
  ASSERT_EQ(result.status.code, 0) << result.err;
  EXPECT_EQ(scratch.exec("SELECT to_regclass('leftover') IS NULL").get(0, 0), "t");  // emptied first

  pg::RunResult itself = dev(database, project, {}, database.url());
  EXPECT_EQ(itself.status.code, 7);
  EXPECT_EQ(itself.err,
            "soulstone: error: the shadow database " + database.redacted() +
                " is the development database itself (hint: a shadow database is emptied on every run: "
                "point SHADOW_DATABASE_URL (or shadowDatabaseUrl) at a scratch database, or unset it to "
                "use a temporary one)\n");
  EXPECT_EQ(value(database, "SELECT count(*) FROM _prisma_migrations"), "1");
}

TEST_F(MigrateDev, WorksInTheSchemaOfPrismasSchemaParameter) {
  Project project;
  project.use("v1");
  pg::ConnInfo database = soulstone::testing::fresh_database("dev");
  std::string url = database.url();
  url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("schema=shop");
  auto run = [&](std::vector<std::string> args) {
    pg::Command dev_command = command(database, project, std::move(args));
    dev_command.env[0].second = url;
    return pg::run(dev_command);
  };
  pg::RunResult created = run({"--name", "init"});
  ASSERT_EQ(created.status.code, 0) << created.err;
  EXPECT_EQ(
      value(database,
            "SELECT to_regclass('shop.\"User\"') IS NOT NULL AND to_regclass('shop._prisma_migrations') "
            "IS NOT NULL AND to_regclass('public.\"User\"') IS NULL"),
      "t");
  // Prisma's init for that URL: no CREATE SCHEMA "public".
  EXPECT_EQ(read_file(project.file(project.folders().at(0))), read_file(kDev / "golden" / "v1-init.sql"));
  pg::RunResult again = run({});
  EXPECT_EQ(again.status.code, 0) << again.err;
  EXPECT_EQ(again.out, "Already in sync, no schema change or pending migration was found.\n");
}

// Ctrl-C or SIGKILL while a migration replays into the shadow database: the
// guardian drops it.
void interrupt_during_replay(int signal) {
  Migrated m;
  write_file(m.project.file("20990101000000_slow"), "SELECT pg_sleep(30);\n");
  pg::Child child =
      pg::spawn(command(m.database, m.project, {}), {.out = pg::Stdio::Null, .err = pg::Stdio::Null});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (value(soulstone::testing::postgres(),
               "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%'") != "1") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the replay never started";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(shadow_databases(), 1);
  child.kill(signal);
  pg::ExitStatus exit = child.wait();
  EXPECT_EQ(exit.signal, signal);
  while (shadow_databases() != 0) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the shadow database outlived the process";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(value(m.database, "SELECT count(*) FROM _prisma_migrations"), "1");
}

TEST_F(MigrateDev, TheShadowDatabaseIsDroppedAfterCtrlC) { interrupt_during_replay(SIGINT); }
TEST_F(MigrateDev, TheShadowDatabaseIsDroppedAfterSigkill) { interrupt_during_replay(SIGKILL); }

}  // namespace
}  // namespace soulstone::migrate
