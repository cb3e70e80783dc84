#pragma once
// The metrics of a backup run or check, for the Prometheus textfile and
// CloudWatch embedded-metric lines (docs/operations.md lists them).

#include <chrono>
#include <optional>
#include <vector>

#include "catalog/catalog.hpp"
#include "monitor/metrics.hpp"

namespace soulstone::backup {

struct RunOutcome {
  bool succeeded = false;
  std::chrono::duration<double> duration{};
  std::optional<archive::Manifest> manifest;  // of the run, when it succeeded
};

// Gauges labelled with the store: last success time (from the catalog, so a
// failed run still reports the previous good backup), and, for a run, its
// status, duration, size and rows.
[[nodiscard]] std::vector<monitor::Sample> backup_metrics(const std::string& store,
                                                          const catalog::Catalog& catalog,
                                                          const std::optional<RunOutcome>& run);

}  // namespace soulstone::backup
