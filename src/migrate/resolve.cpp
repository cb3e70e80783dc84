#include "migrate/resolve.hpp"

#include <algorithm>

#include "migrate/deploy.hpp"
#include "migrate/history.hpp"
#include "migrate/lock_file.hpp"

namespace soulstone::migrate {

ResolveResult resolve_applied(pg::Connection& connection, const MigrationsDir& dir, std::string_view name,
                              std::chrono::milliseconds lock_timeout) {
  check_provider(dir);
  MigrationLock lock(connection, lock_timeout);
  const LocalMigration* migration = dir.find(name);
  if (migration == nullptr) {
    throw Error(
        ErrorKind::Input,
        "the migration " + std::string(name) + " could not be found in " + dir.path.string() + " (P3017)",
        "give the whole folder name, e.g. 20201207184859_initial_migration; `soulstone migrate status` "
        "lists them");
  }
  ensure_public_schema(connection);
  History history(connection);
  std::optional<std::vector<HistoryRow>> rows = history.read();
  if (!rows) {
    history.create();
    rows.emplace();
  }
  std::vector<const HistoryRow*> relevant;
  for (const HistoryRow& row : *rows)
    if (row.migration_name == name) relevant.push_back(&row);
  if (std::any_of(relevant.begin(), relevant.end(), [](const HistoryRow* row) { return row->finished_at; })) {
    throw Error(ErrorKind::Failure,
                "the migration " + std::string(name) + " is already recorded as applied in " +
                    connection.display_url() + " (P3008)",
                "nothing was changed; `soulstone migrate status` shows the history");
  }
  ResolveResult result;
  Timestamp when = now();
  for (const HistoryRow* row : relevant) {
    if (!row->failed()) continue;
    history.record_rolled_back(row->id, when);
    result.rolled_back.push_back(row->id);
  }
  result.id = history.record_applied(migration->name, migration->checksum, when);
  return result;
}

ResolveResult resolve_rolled_back(pg::Connection& connection, std::string_view name,
                                  std::chrono::milliseconds lock_timeout) {
  MigrationLock lock(connection, lock_timeout);
  History history(connection);
  std::optional<std::vector<HistoryRow>> rows = history.read();
  if (!rows) {
    throw Error(ErrorKind::Input,
                connection.display_url() + " has no migration history (no " + std::string(kHistoryTable) +
                    " table): there is nothing to roll back",
                "check DATABASE_URL");
  }
  std::vector<const HistoryRow*> relevant;
  for (const HistoryRow& row : *rows)
    if (row.migration_name == name) relevant.push_back(&row);
  if (relevant.empty()) {
    throw Error(ErrorKind::Failure,
                "migration " + std::string(name) +
                    " cannot be rolled back because it was never applied to the database (P3011)",
                "give the whole folder name, e.g. 20201207184859_initial_migration");
  }
  if (std::all_of(relevant.begin(), relevant.end(), [](const HistoryRow* row) { return row->finished_at; })) {
    throw Error(
        ErrorKind::Failure,
        "migration " + std::string(name) +
            " cannot be rolled back because it is not in a failed state (P3012)",
        "resolve --rolled-back is for failed migrations; to undo an applied one, write a new migration");
  }
  ResolveResult result;
  Timestamp when = now();
  for (const HistoryRow* row : relevant) {
    if (!row->failed()) continue;
    history.record_rolled_back(row->id, when);
    result.rolled_back.push_back(row->id);
  }
  return result;
}

}  // namespace soulstone::migrate
