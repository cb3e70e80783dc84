// `soulstone migrate diff` end to end, in-process: the command registered on
// a `migrate` group as the CLI does, run against a throw-away cluster.

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"

namespace soulstone::cli {

struct MigrateFlags;
void register_migrate_diff_commands(CLI::App& migrate, Context& context,
                                    const std::shared_ptr<MigrateFlags>& flags);

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SOULSTONE_SOURCE_DIR) / ".." / "shared" / "corpus";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int code = 0;
  std::string out;
  std::string error;
};

Outcome diff(std::vector<std::string> args) {
  Context context;
  CLI::App root("test");
  CLI::App* migrate = root.add_subcommand("migrate");
  register_migrate_diff_commands(*migrate, context, nullptr);
  args.insert(args.begin(), {"migrate", "diff"});
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  Outcome outcome;
  ::testing::internal::CaptureStdout();
  try {
    root.parse(reversed);
  } catch (const ExitStatus& status) {
    outcome.code = status.code;
  } catch (const Error& error) {
    outcome.code = exit_code_for(error.kind());
    outcome.error = error.what();
  }
  outcome.out = ::testing::internal::GetCapturedStdout();
  return outcome;
}

class MigrateDiff : public ::testing::Test {
 protected:
  void SetUp() override { setenv("DATABASE_URL", testing::postgres().url().c_str(), 1); }
  void TearDown() override { unsetenv("DATABASE_URL"); }
};

TEST_F(MigrateDiff, FromEmptyPrintsPrismasScript) {
  Outcome outcome = diff({"--from-empty", "--to-schema", (kCorpus / "umami.prisma").string(), "--script"});
  EXPECT_EQ(outcome.code, 0);
  EXPECT_EQ(outcome.out, read(kCorpus / "expected" / "umami.diff.sql"));
}

TEST_F(MigrateDiff, ExitCodeTellsWhetherThereIsADifference) {
  const std::string url = testing::fresh_database().url();
  std::string schema = (kCorpus / "umami.prisma").string();

  auto applied = testing::fresh_database();
  pg::Connection::open(applied).exec(read(kCorpus / "expected" / "umami.diff.sql"));
  Outcome clean = diff({"--from-url", applied.url(), "--to-schema", schema, "--exit-code"});
  EXPECT_EQ(clean.code, 0) << clean.error;
  EXPECT_EQ(clean.out, "No difference detected.\n");

  Outcome differs = diff({"--from-url", url, "--to-schema", schema, "--exit-code"});
  EXPECT_EQ(differs.code, 2);
  EXPECT_NE(differs.out.find("[+] Added tables"), std::string::npos);
}

TEST_F(MigrateDiff, ReplaysAMigrationsFolderIntoAShadowDatabaseThatIsDropped) {
  fs::path folder = fs::path(::testing::TempDir()) / "diff-migrations";
  fs::remove_all(folder);
  fs::create_directories(folder / "20240101000000_init");
  std::ofstream(folder / "20240101000000_init" / "migration.sql")
      << read(kCorpus / "expected" / "umami.diff.sql");
  std::ofstream(folder / "migration_lock.toml") << "provider = \"postgresql\"\n";
  Outcome outcome = diff({"--from-migrations", folder.string(), "--to-schema",
                          (kCorpus / "umami.prisma").string(), "--script", "--exit-code"});
  EXPECT_EQ(outcome.code, 0) << outcome.error;
  EXPECT_EQ(outcome.out, "-- This is an empty migration.\n");
  auto admin = pg::Connection::open(testing::postgres());
  EXPECT_EQ(admin.exec("SELECT count(*) FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")
                .get(0, 0),
            "0");
}

TEST_F(MigrateDiff, AFailingMigrationStillDropsTheShadowDatabase) {
  fs::path folder = fs::path(::testing::TempDir()) / "diff-broken";
  fs::remove_all(folder);
  fs::create_directories(folder / "20240101000000_broken");
  std::ofstream(folder / "20240101000000_broken" / "migration.sql") << "CREATE TABLE x (id int);\nSELEC 1;\n";
  Outcome outcome = diff({"--from-migrations", folder.string(), "--to-empty"});
  EXPECT_EQ(outcome.code, 4);
  EXPECT_NE(outcome.error.find("20240101000000_broken"), std::string::npos);
  auto admin = pg::Connection::open(testing::postgres());
  EXPECT_EQ(admin.exec("SELECT count(*) FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")
                .get(0, 0),
            "0");
}

TEST_F(MigrateDiff, RejectsBadSourcesWithOneClearError) {
  Outcome two = diff({"--from-empty", "--from-url", "postgresql://x@localhost/y", "--to-empty"});
  EXPECT_EQ(two.code, 2);
  EXPECT_NE(two.error.find("exactly one --from"), std::string::npos);
  Outcome missing = diff({"--from-migrations", "/nonexistent/migrations", "--to-empty"});
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.error.find("/nonexistent/migrations"), std::string::npos);
  Outcome wrapped = diff({"--from-migrations", "/nonexistent/migrations", "--to-empty", "--exit-code"});
  EXPECT_EQ(wrapped.code, 1);
}

}  // namespace
}  // namespace soulstone::cli
