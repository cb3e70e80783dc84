// The status comparison without a database: every finding that makes a
// history not up to date, and the cases that must stay clean.
#include <gtest/gtest.h>

#include "migrate/checksum.hpp"
#include "migrate/status.hpp"

namespace soulstone::migrate {
namespace {

LocalMigration local(const std::string& name, const std::string& script = "SELECT 1;\n") {
  return {.name = name, .file = name + "/migration.sql", .script = script, .checksum = checksum(script)};
}

HistoryRow row(const std::string& name, const std::string& script, bool finished, bool rolled_back = false) {
  Timestamp t{std::chrono::microseconds(1'700'000'000'000'000)};
  return {.id = name + "-id",
          .checksum = checksum(script),
          .finished_at = finished ? std::optional<Timestamp>(t) : std::nullopt,
          .migration_name = name,
          .rolled_back_at = rolled_back ? std::optional<Timestamp>(t) : std::nullopt,
          .started_at = t,
          .applied_steps_count = finished ? 1 : 0};
}

MigrationsDir folder(std::vector<LocalMigration> migrations) {
  return {.path = "migrations", .migrations = std::move(migrations)};
}

TEST(StatusCompare, AppliedHistoryIsUpToDate) {
  auto report = compare(folder({local("1_a"), local("2_b")}),
                        std::vector{row("1_a", "SELECT 1;\n", true), row("2_b", "SELECT 1;\n", true)});
  EXPECT_TRUE(report.up_to_date());
  EXPECT_EQ(report.applied, (std::vector<std::string>{"1_a", "2_b"}));
}

TEST(StatusCompare, ReportsPendingInFolderOrder) {
  auto report = compare(folder({local("1_a"), local("2_b"), local("3_c")}),
                        std::vector{row("1_a", "SELECT 1;\n", true)});
  EXPECT_FALSE(report.up_to_date());
  EXPECT_EQ(report.pending, (std::vector<std::string>{"2_b", "3_c"}));
}

TEST(StatusCompare, WithoutAHistoryTableEverythingIsPending) {
  auto report = compare(folder({local("1_a")}), std::nullopt);
  EXPECT_FALSE(report.has_history_table);
  EXPECT_EQ(report.pending, (std::vector<std::string>{"1_a"}));
  EXPECT_TRUE(compare(folder({}), std::nullopt).up_to_date());  // an empty database and no migrations
}

TEST(StatusCompare, AFailedAttemptIsFailedNotPending) {
  auto report = compare(folder({local("1_a")}), std::vector{row("1_a", "SELECT 1;\n", false)});
  EXPECT_EQ(report.failed, (std::vector<std::string>{"1_a"}));
  EXPECT_TRUE(report.pending.empty());
  EXPECT_FALSE(report.up_to_date());
}

TEST(StatusCompare, ARolledBackAttemptIsPendingAgain) {
  auto report = compare(folder({local("1_a")}), std::vector{row("1_a", "SELECT 1;\n", false, true)});
  EXPECT_TRUE(report.failed.empty());
  EXPECT_EQ(report.pending, (std::vector<std::string>{"1_a"}));
}

TEST(StatusCompare, AnEditedFileIsReportedButNotAFixedRetry) {
  auto edited = compare(folder({local("1_a", "SELECT 2;\n")}), std::vector{row("1_a", "SELECT 1;\n", true)});
  EXPECT_EQ(edited.edited, (std::vector<std::string>{"1_a"}));
  EXPECT_FALSE(edited.up_to_date());
  // A failed attempt rolled back, the file fixed, then applied: the fixed
  // file matches the applied row, so it is not "edited" (Prisma compares
  // with the first row and would say it is).
  auto fixed = compare(folder({local("1_a", "SELECT 2;\n")}),
                       std::vector{row("1_a", "SELECT 1;\n", false, true), row("1_a", "SELECT 2;\n", true)});
  EXPECT_TRUE(fixed.up_to_date());
}

TEST(StatusCompare, LineEndingChangesAreNotEdits) {
  auto report =
      compare(folder({local("1_a", "SELECT 1;\r\n")}), std::vector{row("1_a", "SELECT 1;\n", true)});
  EXPECT_TRUE(report.edited.empty());
}

TEST(StatusCompare, AppliedButMissingLocallyIsDivergence) {
  auto report = compare(folder({local("1_a")}),
                        std::vector{row("1_a", "SELECT 1;\n", true), row("2_gone", "SELECT 1;\n", true),
                                    row("3_abandoned", "SELECT 1;\n", false, true)});
  EXPECT_EQ(report.missing_locally, (std::vector<std::string>{"2_gone"}));
  EXPECT_FALSE(report.up_to_date());
}

}  // namespace
}  // namespace soulstone::migrate
