#include "migrate/deploy.hpp"

#include <algorithm>
#include <cctype>

#include "migrate/apply.hpp"
#include "migrate/lock_file.hpp"

namespace soulstone::migrate {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

void refuse_failed(const std::vector<HistoryRow>& rows, const pg::Connection& connection) {
  std::string details;
  std::string first;
  for (const HistoryRow& row : rows) {
    if (!row.failed()) continue;
    if (first.empty()) first = row.migration_name;
    details += (details.empty() ? "" : "; ") + ("the `" + row.migration_name + "` migration started at " +
                                                prisma_time(row.started_at) + " failed");
  }
  if (first.empty()) return;
  throw Error(ErrorKind::Refused,
              "migrate found failed migrations in " + connection.display_url() +
                  ", new migrations will not be applied (P3009): " + details,
              "see `soulstone migrate status`; after repairing the database, mark it with `soulstone migrate "
              "resolve --rolled-back " +
                  first + "` (to retry it) or `--applied " + first + "` (if it was completed by hand)");
}

void refuse_not_empty(const std::vector<std::string>& tables, const MigrationsDir& dir,
                      const pg::Connection& connection) {
  if (tables.empty()) return;
  std::string names;
  for (std::size_t i = 0; i < tables.size() && i < 5; ++i)
    names += (i == 0 ? "" : ", ") + tables[i];
  if (tables.size() > 5) names += ", ...";
  std::string hint =
      "baseline it: mark the migrations that it already reflects as applied with `soulstone "
      "migrate resolve --applied NAME`";
  if (!dir.migrations.empty()) hint += " (e.g. " + dir.migrations.front().name + ")";
  throw Error(ErrorKind::Refused,
              "the database schema is not empty (P3005): " + connection.display_url() + " has " +
                  std::to_string(tables.size()) + " table" + (tables.size() == 1 ? "" : "s") + " (" + names +
                  ") but no migration history",
              hint);
}

}  // namespace

std::vector<std::string> user_tables(pg::Connection& connection) {
  pg::Result result = connection.exec(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.relname");
  std::vector<std::string> tables;
  for (int row = 0; row < result.rows(); ++row) {
    std::string name(result.get(row, 0));
    std::string folded = lower(name);
    if (folded == "spatial_ref_sys" || folded == "geometry_columns" || name == kHistoryTable) continue;
    tables.push_back(std::move(name));
  }
  return tables;
}

void ensure_public_schema(pg::Connection& connection) {
  if (connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = 'public'").rows() == 0)
    connection.exec("CREATE SCHEMA \"public\"");
}

void use_schema(pg::Connection& connection, std::string_view schema) {
  std::string quoted = connection.quote_identifier(schema);
  if (connection.exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", pg::Params{std::string(schema)})
          .rows() == 0)
    connection.exec("CREATE SCHEMA IF NOT EXISTS " + quoted);
  connection.exec("SET search_path TO " + quoted);
}

DeployResult deploy(pg::Connection& connection, const MigrationsDir& dir, const DeployOptions& options) {
  check_provider(dir);
  MigrationLock lock(connection, options.lock_timeout);
  ensure_public_schema(connection);

  History history(connection);
  std::optional<std::vector<HistoryRow>> rows = history.read();
  if (!rows) {
    refuse_not_empty(user_tables(connection), dir, connection);
    history.create();
    rows.emplace();
  }
  refuse_failed(*rows, connection);

  DeployResult result;
  for (const LocalMigration& migration : dir.migrations) {
    bool recorded = std::any_of(rows->begin(), rows->end(), [&](const HistoryRow& row) {
      return !row.rolled_back() && row.migration_name == migration.name;
    });
    if (recorded) continue;
    auto started = std::chrono::steady_clock::now();
    std::string id = history.record_started(migration.name, migration.checksum, now());
    try {
      run_script(connection, migration);
    } catch (const MigrationFailed& failure) {
      history.record_failed(id, failure.logs());
      throw MigrationFailed(failure,
                            "it is recorded as failed and PostgreSQL rolled its statements back with it "
                            "(unless the file commits on its own); fix the cause, then `soulstone migrate "
                            "resolve --rolled-back " +
                                migration.name + "` to run it again, or `--applied " + migration.name +
                                "` if you completed it by hand");
    }
    history.record_finished(id, now());
    AppliedMigration applied{.name = migration.name,
                             .duration = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - started)};
    if (options.on_applied) options.on_applied(applied);
    result.applied.push_back(std::move(applied));
  }
  return result;
}

}  // namespace soulstone::migrate
