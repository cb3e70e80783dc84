#include "monitor/metrics.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"

namespace soulstone::monitor {
namespace {

std::vector<Sample> backup_samples() {
  return {{.name = "soulstone_backup_last_success_timestamp_seconds",
           .help = "Finish time of the newest successful backup.",
           .value = 1795485600,
           .labels = {{"store", "s3://shop-backups/nightly"}},
           .unit = "Seconds"},
          {.name = "soulstone_backup_size_bytes",
           .help = "Stored size of the last backup.",
           .value = 123456789,
           .labels = {{"store", "s3://shop-backups/nightly"}},
           .unit = "Bytes"},
          {.name = "soulstone_backup_duration_seconds",
           .help = "Wall time of the last backup run.",
           .value = 12.5,
           .labels = {{"store", "s3://shop-backups/nightly"}},
           .unit = "Seconds"}};
}

TEST(Prometheus, RendersTheTextExpositionFormat) {
  EXPECT_EQ(
      to_prometheus(backup_samples()),
      "# HELP soulstone_backup_last_success_timestamp_seconds Finish time of the newest successful backup.\n"
      "# TYPE soulstone_backup_last_success_timestamp_seconds gauge\n"
      "soulstone_backup_last_success_timestamp_seconds{store=\"s3://shop-backups/nightly\"} 1795485600\n"
      "# HELP soulstone_backup_size_bytes Stored size of the last backup.\n"
      "# TYPE soulstone_backup_size_bytes gauge\n"
      "soulstone_backup_size_bytes{store=\"s3://shop-backups/nightly\"} 123456789\n"
      "# HELP soulstone_backup_duration_seconds Wall time of the last backup run.\n"
      "# TYPE soulstone_backup_duration_seconds gauge\n"
      "soulstone_backup_duration_seconds{store=\"s3://shop-backups/nightly\"} 12.5\n");
}

TEST(Prometheus, EscapesLabelValuesAndDescribesANameOnce) {
  std::vector<Sample> samples = {{.name = "soulstone_job_runs_total",
                                  .help = "Runs.",
                                  .type = MetricType::Counter,
                                  .value = 3,
                                  .labels = {{"job", "a\"b\\c\nd"}}},
                                 {.name = "soulstone_job_runs_total",
                                  .help = "Runs.",
                                  .type = MetricType::Counter,
                                  .value = 4,
                                  .labels = {{"job", "plain"}}}};
  EXPECT_EQ(to_prometheus(samples),
            "# HELP soulstone_job_runs_total Runs.\n"
            "# TYPE soulstone_job_runs_total counter\n"
            "soulstone_job_runs_total{job=\"a\\\"b\\\\c\\nd\"} 3\n"
            "soulstone_job_runs_total{job=\"plain\"} 4\n");
}

TEST(CloudWatch, EmbeddedMetricFormatHasDimensionsUnitsAndValues) {
  auto line = to_cloudwatch_emf(backup_samples(), "Soulstone/Backups",
                                std::chrono::system_clock::time_point(std::chrono::seconds(1795485600)));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["store"], "s3://shop-backups/nightly");
  EXPECT_EQ(json["soulstone_backup_size_bytes"], 123456789);
  EXPECT_EQ(json["_aws"]["Timestamp"], 1795485600000LL);
  const auto& directive = json["_aws"]["CloudWatchMetrics"][0];
  EXPECT_EQ(directive["Namespace"], "Soulstone/Backups");
  EXPECT_EQ(directive["Dimensions"], nlohmann::json::parse(R"([["store"]])"));
  EXPECT_EQ(directive["Metrics"][1],
            nlohmann::json::parse(R"({"Name":"soulstone_backup_size_bytes","Unit":"Bytes"})"));
}

TEST(Textfile, ReplacesTheFileWholeAndLeavesNoTemporary) {
  TempDir dir("soulstone-unit-");
  auto path = dir.path() / "soulstone.prom";
  write_textfile(path, "old\n");
  write_textfile(path, "new\n");
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  EXPECT_EQ(text.str(), "new\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(Textfile, AMissingFolderIsOneClearError) {
  TempDir dir("soulstone-unit-");
  try {
    write_textfile(dir.path() / "missing" / "soulstone.prom", "x\n");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "cannot write metrics to " +
                                             (dir.path() / "missing" / "soulstone.prom").string() +
                                             ": open: No such file or directory");
  }
}

}  // namespace
}  // namespace soulstone::monitor
