#include "backup/metrics.hpp"

namespace soulstone::backup {

std::vector<monitor::Sample> backup_metrics(const std::string& store, const catalog::Catalog& catalog,
                                            const std::optional<RunOutcome>& run) {
  std::map<std::string, std::string> labels = {{"store", store}};
  std::vector<monitor::Sample> samples;
  if (const catalog::Entry* newest = catalog.latest_good()) {
    auto finished =
        std::chrono::duration_cast<std::chrono::seconds>(newest->manifest->finished_at.time_since_epoch());
    samples.push_back({.name = "soulstone_backup_last_success_timestamp_seconds",
                       .help = "Finish time of the newest good backup (with a verified manifest).",
                       .value = static_cast<double>(finished.count()),
                       .labels = labels,
                       .unit = "Seconds"});
  }
  if (!run) return samples;
  samples.push_back({.name = "soulstone_backup_last_status",
                     .help = "1 when the last backup run succeeded, 0 when it failed.",
                     .value = run->succeeded ? 1.0 : 0.0,
                     .labels = labels,
                     .unit = "None"});
  samples.push_back({.name = "soulstone_backup_duration_seconds",
                     .help = "Wall time of the last backup run.",
                     .value = run->duration.count(),
                     .labels = labels,
                     .unit = "Seconds"});
  if (run->manifest) {
    samples.push_back({.name = "soulstone_backup_size_bytes",
                       .help = "Stored size of the last successful backup.",
                       .value = static_cast<double>(run->manifest->stored_size),
                       .labels = labels,
                       .unit = "Bytes"});
    samples.push_back({.name = "soulstone_backup_rows_total",
                       .help = "Rows in all tables of the last successful backup.",
                       .value = static_cast<double>(run->manifest->rows_total()),
                       .labels = labels,
                       .unit = "Count"});
  }
  return samples;
}

}  // namespace soulstone::backup
