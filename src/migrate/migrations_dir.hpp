#pragma once
// The migrations folder, laid out as Prisma lays it out:
//
//   <dir>/migration_lock.toml                   provider = "postgresql"
//   <dir>/<UTC yyyymmddHHMMSS>_<name>/migration.sql
//
// Every sub-folder is one migration, named by the folder and ordered by name
// (byte order, which for Prisma's timestamped names is the order of creation).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::migrate {

inline constexpr std::string_view kMigrationFileName = "migration.sql";

struct LocalMigration {
  std::string name;            // the folder's name, e.g. 20240101120000_init
  std::filesystem::path file;  // <dir>/<name>/migration.sql
  std::string script;          // the file's bytes, unchanged
  std::string checksum;        // SHA-256 hex of `script` (checksum.hpp)
};

struct MigrationsDir {
  std::filesystem::path path;
  std::optional<std::string> lock_file;  // migration_lock.toml's text; nullopt when absent
  std::vector<LocalMigration> migrations;

  // The migration of that folder name, or nullptr.
  [[nodiscard]] const LocalMigration* find(std::string_view name) const;
};

// Reads the folder and every migration.sql in it. Throws Error(Input) when the
// folder does not exist or is not a folder, and when a migration folder has
// no migration.sql (Prisma's P3015), naming the path and what to do.
[[nodiscard]] MigrationsDir read_migrations_dir(const std::filesystem::path& dir);

// Where the migrations live: `migrations` when given, else `migrations/`
// beside the schema file (or inside the schema folder, for a schema split
// into several files), as Prisma places them.
[[nodiscard]] std::filesystem::path migrations_dir_for(const std::filesystem::path& schema,
                                                       const std::filesystem::path& migrations = {});

// The name of a new migration folder: the UTC time as yyyymmddHHMMSS, an
// underscore and the name (Prisma's convention; `migrate dev` creates them).
[[nodiscard]] std::string migration_folder_name(std::chrono::system_clock::time_point when,
                                                std::string_view name);

}  // namespace soulstone::migrate
