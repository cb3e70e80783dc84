// migrate dev against Prisma's own answers (committed by dev/regenerate-golden):
// the data-loss findings for a database with rows, and the Soulstone
// platform's migration history (made by our migrate dev) against what Prisma
// writes for the same schema and against the schema itself.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "base/temp_dir.hpp"
#include "fixtures.hpp"
#include "migrate/data_loss.hpp"
#include "migrate/dev.hpp"
#include "migrate/diff.hpp"
#include "migrate/lock_file.hpp"
#include "migrate/migrations_dir.hpp"
#include "migrate/status.hpp"
#include "model/from_schema.hpp"
#include "model/introspect.hpp"
#include "postgres_env.hpp"
#include "psl/psl.hpp"
#include "sql/render.hpp"

namespace soulstone::migrate {
namespace {

namespace fs = std::filesystem;
using testing::read_file;

const fs::path kSource = SOULSTONE_SOURCE_DIR;
const fs::path kDev = kSource / "tests/migrate/dev";
const fs::path kEvolutions = kSource / "tests/migrate/evolutions";
const fs::path kPlatform = kSource / "apps/api/prisma";

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kDev / "data-loss"))
    if (entry.path().extension() == ".sql") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> messages(const std::vector<DataLossFinding>& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings)
    out.push_back(finding.message);
  return out;
}

class DataLoss : public ::testing::TestWithParam<std::string> {};

// A database at a.prisma holding the case's rows, checked against b.prisma:
// the same findings, in the same words and counts, as Prisma's checker.
TEST_P(DataLoss, MatchesPrismasChecker) {
  const std::string pair = GetParam().substr(0, GetParam().find('+'));
  pg::Connection db = pg::Connection::open(soulstone::testing::fresh_database("loss"));
  model::Schema a = model::from_schema(psl::load(kEvolutions / pair / "a.prisma"));
  db.exec(sql::render_script(diff(model::Schema{}, a)));
  db.exec(read_file(kDev / "data-loss" / (GetParam() + ".sql")));
  sql::Migration next =
      diff(model::introspect(db), model::from_schema(psl::load(kEvolutions / pair / "b.prisma")));
  DataLossReport report = check_data_loss(next, db);
  auto prisma = nlohmann::json::parse(read_file(kDev / "data-loss" / (GetParam() + ".json")));
  EXPECT_EQ(messages(report.warnings), prisma["warnings"].get<std::vector<std::string>>());
  EXPECT_EQ(messages(report.unexecutable), prisma["unexecutable"].get<std::vector<std::string>>());
}

INSTANTIATE_TEST_SUITE_P(Cases, DataLoss, ::testing::ValuesIn(cases()), [](const auto& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
});

std::vector<std::string> platform_migrations() {
  std::vector<std::string> names;
  for (const auto& migration : read_migrations_dir(kPlatform / "migrations").migrations)
    names.push_back(migration.name);
  return names;
}

// Each migration is the file Prisma's migrate dev would have written at that
// step (golden/soulstone/<name>.sql: Prisma's diff from the folder before it
// to the schema of that day, made when it was the newest), and Prisma finds
// nothing left between the whole folder and today's schema.
TEST(SoulstoneHistory, EveryMigrationIsWhatPrismaWouldWrite) {
  std::vector<std::string> names = platform_migrations();
  ASSERT_GE(names.size(), 2u) << "the history should have more than one step";
  EXPECT_TRUE(names[0].ends_with("_init")) << names[0];
  for (const std::string& name : names) {
    fs::path golden = kDev / "golden" / "soulstone" / (name + ".sql");
    ASSERT_TRUE(fs::exists(golden)) << "no golden for " << name
                                    << ": run tests/migrate/dev/regenerate-golden";
    EXPECT_EQ(read_file(kPlatform / "migrations" / name / "migration.sql"), read_file(golden)) << name;
  }
  EXPECT_EQ(read_file(kDev / "golden" / "soulstone" / "pending.sql"), "-- This is an empty migration.\n");
  EXPECT_EQ(read_file(kPlatform / "migrations" / "migration_lock.toml"), render_lock_file());
}

TEST(SoulstoneHistory, BuildsExactlyTheSchema) {
  // dev on a copy, so a stale history would show as a new migration there.
  TempDir copy("soulstone-history-");
  fs::copy(kPlatform / "migrations", copy.path() / "migrations", fs::copy_options::recursive);
  pg::ConnInfo database = soulstone::testing::fresh_database("platform");
  DevResult result =
      dev(database, {.schema = kPlatform / "schema.prisma", .migrations = copy.path() / "migrations"});
  EXPECT_FALSE(result.diagnosis.needs_reset()) << result.diagnosis.reset_reason;
  EXPECT_EQ(result.applied.size(), platform_migrations().size());
  EXPECT_FALSE(result.created) << "the schema has changes no migration holds: run `soulstone migrate dev`";
  pg::Connection connection = pg::Connection::open(database);
  EXPECT_TRUE(status(connection, read_migrations_dir(copy.path() / "migrations")).up_to_date());
  EXPECT_TRUE(diff(model::introspect(connection), model::from_schema(psl::load(kPlatform / "schema.prisma")))
                  .empty());
}

}  // namespace
}  // namespace soulstone::migrate
