#pragma once
// Internal to migrate/: the phases of `migrate dev`, which dev.cpp runs in
// the order dev.hpp describes.

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/data_loss.hpp"
#include "migrate/dev.hpp"
#include "migrate/migrations_dir.hpp"
#include "migrate/shadow.hpp"
#include "model/model.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

// dev_diagnose.cpp: the history against the folder, and the shadow replays.
// `history_schema` receives the schema the whole folder builds. Throws
// Error(Database) (P3006) when a migration fails to replay.
[[nodiscard]] DevDiagnosis diagnose(pg::Connection& database, const MigrationsDir& dir,
                                    ShadowDatabase& shadow, model::Schema& history_schema);

// dev_refusals.cpp: what dev says when it stops, naming what would be lost.
[[nodiscard]] std::vector<TableRows> table_rows(pg::Connection& database);
[[noreturn]] void refuse_reset(const DevDiagnosis& diagnosis, const pg::Connection& database,
                               std::string_view schema, const std::vector<TableRows>& tables);
[[noreturn]] void refuse_unexecutable(const DataLossReport& report, const pg::Connection& database);
[[noreturn]] void refuse_data_loss(const DataLossReport& report, const pg::Connection& database);

// new_migration.cpp: the folder of a new migration.
// "<UTC yyyymmddHHMMSS>_<name>", one second after the newest folder when the
// clock is not ahead of it, so that folder order stays creation order.
[[nodiscard]] std::string next_folder_name(const MigrationsDir& dir,
                                           std::chrono::system_clock::time_point now,
                                           std::string_view sanitized_name);
struct WrittenMigration {
  std::filesystem::path file;
  bool lock_file_written = false;
};
// Writes <dir>/<folder>/migration.sql, the folder appearing whole (written
// beside it, then renamed), and migration_lock.toml when the folder has none.
// Throws Error(Input) when the folder exists or cannot be written.
[[nodiscard]] WrittenMigration write_migration(const std::filesystem::path& dir, const std::string& folder,
                                               std::string_view script);

}  // namespace soulstone::migrate
