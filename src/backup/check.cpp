#include <cmath>

#include "backup/backup.hpp"

namespace soulstone::backup {

namespace {

std::string duration_text(std::chrono::seconds age) {
  long long minutes = age.count() / 60;
  return std::to_string(minutes / 60) + "h " + std::to_string(minutes % 60) + "m";
}

}  // namespace

CheckReport check(const catalog::Catalog& catalog, std::chrono::system_clock::time_point now,
                  const CheckOptions& options) {
  CheckReport report;
  const catalog::Entry* newest = catalog.latest_good();
  if (newest == nullptr) {
    report.reason = "no good backup in the store";
    return report;
  }
  report.latest_id = newest->id;
  auto age = std::chrono::duration_cast<std::chrono::seconds>(now - newest->manifest->finished_at);
  report.age = age;
  if (age > options.max_age) {
    report.reason = "the newest good backup " + newest->id + " finished " + duration_text(age) +
                    " ago (limit " + duration_text(options.max_age) + ")";
    return report;
  }
  // A backup much smaller than the one before usually means lost data or a
  // dump of the wrong database, not a sudden clean-up.
  const catalog::Entry* previous = nullptr;
  for (const auto& entry : catalog.entries)
    if (entry.good() && &entry != newest) {
      previous = &entry;
      break;
    }
  if (previous != nullptr && previous->manifest->stored_size > 0) {
    double ratio = static_cast<double>(newest->manifest->stored_size) /
                   static_cast<double>(previous->manifest->stored_size);
    if (ratio < options.min_size_ratio) {
      report.reason = "the newest good backup " + newest->id + " is " +
                      std::to_string(static_cast<int>(std::lround(ratio * 100))) + "% of the size of " +
                      previous->id + " (limit " +
                      std::to_string(static_cast<int>(std::lround(options.min_size_ratio * 100))) + "%)";
      return report;
    }
  }
  report.ok = true;
  report.reason = "the newest good backup " + newest->id + " finished " + duration_text(age) + " ago";
  return report;
}

CheckReport check_store(store::ObjectStore& store, const catalog::Catalog& catalog,
                        std::chrono::system_clock::time_point now, const CheckOptions& options,
                        const std::optional<archive::Key>& key) {
  CheckReport report = check(catalog, now, options);
  if (!report.ok || !options.verify_latest) return report;
  VerifyReport verified = verify(store, *catalog.latest_good(), key);
  if (!verified.ok()) {
    report.ok = false;
    report.reason = "the newest good backup " + verified.id + " is damaged: " + verified.problems.front();
  }
  return report;
}

}  // namespace soulstone::backup
