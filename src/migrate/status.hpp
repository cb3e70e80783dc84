#pragma once
// migrate status: the migrations folder against the history table.
//
// Unlike Prisma's `migrate status`, which exits 0 when migrations were edited
// after they were applied or are applied but missing locally, every such
// finding here makes the report not up to date (exit 1 in the CLI).

#include <optional>
#include <string>
#include <vector>

#include "migrate/history.hpp"
#include "migrate/migrations_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

struct StatusReport {
  bool has_history_table = false;
  std::vector<std::string> tables_without_history;  // the database's tables when it has no history table
  std::vector<HistoryRow> history;                  // every row, ordered by started_at

  std::size_t local_migrations = 0;
  std::vector<std::string> applied;          // applied rows' names, in history order
  std::vector<std::string> pending;          // local migrations deploy would apply, in folder order
  std::vector<std::string> failed;           // unresolved failed attempts (deploy refuses them: P3009)
  std::vector<std::string> edited;           // applied, but the local file's checksum differs
  std::vector<std::string> missing_locally;  // applied or failed in the database, no local folder

  // The database would refuse deploy: tables but no history (P3005).
  [[nodiscard]] bool not_managed() const noexcept {
    return !has_history_table && !tables_without_history.empty();
  }
  [[nodiscard]] bool up_to_date() const noexcept {
    return !not_managed() && pending.empty() && failed.empty() && edited.empty() && missing_locally.empty();
  }
};

// The comparison itself, without a database: `rows` is nullopt when the
// history table does not exist.
[[nodiscard]] StatusReport compare(const MigrationsDir& dir,
                                   const std::optional<std::vector<HistoryRow>>& rows);

// Reads the history (no lock, no writes) and compares. Throws Error(Input)
// for a provider mismatch, pg::DatabaseError.
[[nodiscard]] StatusReport status(pg::Connection& connection, const MigrationsDir& dir);

}  // namespace soulstone::migrate
