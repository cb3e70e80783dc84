#include "migrate/status.hpp"

#include <algorithm>
#include <set>

#include "migrate/checksum.hpp"
#include "migrate/deploy.hpp"
#include "migrate/lock_file.hpp"

namespace soulstone::migrate {

namespace {

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

StatusReport compare(const MigrationsDir& dir, const std::optional<std::vector<HistoryRow>>& rows) {
  StatusReport report;
  report.has_history_table = rows.has_value();
  report.local_migrations = dir.migrations.size();
  if (rows) report.history = *rows;

  for (const HistoryRow& row : report.history) {
    if (row.applied()) add_once(report.applied, row.migration_name);
    if (row.failed()) add_once(report.failed, row.migration_name);
    if (!row.rolled_back() && dir.find(row.migration_name) == nullptr)
      add_once(report.missing_locally, row.migration_name);
  }
  for (const LocalMigration& migration : dir.migrations) {
    bool recorded = false;
    bool applied = false;
    bool matches = false;
    for (const HistoryRow& row : report.history) {
      if (row.migration_name != migration.name || row.rolled_back()) continue;
      recorded = true;
      if (!row.applied()) continue;
      applied = true;
      matches = matches || checksum_matches(migration.script, row.checksum);
    }
    if (!recorded) report.pending.push_back(migration.name);
    if (applied && !matches) report.edited.push_back(migration.name);
  }
  return report;
}

StatusReport status(pg::Connection& connection, const MigrationsDir& dir) {
  check_provider(dir);
  StatusReport report = compare(dir, History(connection).read());
  if (!report.has_history_table) report.tables_without_history = user_tables(connection);
  return report;
}

}  // namespace soulstone::migrate
