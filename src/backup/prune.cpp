#include "backup/backup.hpp"

namespace soulstone::backup {

PruneResult prune(store::ObjectStore& store, const catalog::Catalog& catalog, const retention::Policy& policy,
                  const retention::Calendar& calendar, std::chrono::system_clock::time_point now,
                  bool dry_run) {
  std::vector<retention::Backup> backups;
  for (const auto& entry : catalog.entries)
    backups.push_back({.id = entry.id,
                       .finished_at = std::chrono::time_point_cast<std::chrono::seconds>(entry.time()),
                       .complete = entry.good()});
  PruneResult result{.plan = retention::plan(
                         backups, policy, std::chrono::time_point_cast<std::chrono::seconds>(now), calendar)};
  if (dry_run) return result;
  for (const auto& decision : result.plan) {
    if (decision.verdict != retention::Verdict::Delete) continue;
    const catalog::Entry* entry = catalog.find(decision.id);
    // The archive goes first: a crash in between leaves a manifest whose
    // archive is missing, which the catalog reports as not good.
    if (entry->archive) {
      store.remove(entry->archive->key);
      result.deleted_keys.push_back(entry->archive->key);
    }
    if (entry->manifest_key) {
      store.remove(*entry->manifest_key);
      result.deleted_keys.push_back(*entry->manifest_key);
    }
  }
  return result;
}

}  // namespace soulstone::backup
