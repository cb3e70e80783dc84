#pragma once
// migrate dev: evolve a development database and its migrations folder with
// the schema, as `prisma migrate dev` does, without ever prompting.
//
// Order (Prisma's):
//  1. refuse a database marked production; take the migration lock;
//  2. diagnose: replay the applied migrations into a shadow database
//     (shadow.hpp) and compare the result with the live database (drift);
//     replay the rest too, so a broken migration is found before anything
//     changes (P3006); read failed, edited and missing migrations from the
//     history;
//  3. when the history and the database cannot be reconciled (drift, an
//     edited or failed migration, applied migrations missing locally):
//     refuse, naming why and what a reset would drop (tables and their row
//     counts), unless `force`, which resets (reset.hpp) and applies every
//     migration again;
//  4. apply the pending migrations (deploy.hpp);
//  5. diff the schema the whole history builds (from the shadow database)
//     against the Prisma schema; check the new migration against the data
//     (data_loss.hpp): steps that cannot run stop here, steps that would
//     lose data need `force` (or `create_only`, which only writes a file);
//  6. write <UTC yyyymmddHHMMSS>_<name>/migration.sql with Prisma's warnings
//     header (and migration_lock.toml when missing), then apply it unless
//     `create_only`.
// Nothing is written to the folder or the database before step 3's decision,
// and the shadow database is gone when dev returns or throws.

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "migrate/advisory_lock.hpp"
#include "migrate/data_loss.hpp"
#include "migrate/deploy.hpp"
#include "migrate/shadow.hpp"
#include "pg/url.hpp"

namespace soulstone::migrate {

struct DevOptions {
  std::filesystem::path schema;      // the Prisma schema: a file or a folder of .prisma files
  std::filesystem::path migrations;  // the migrations folder; created when missing
  std::string name;                  // --name, as given (sanitized as Prisma does)
  bool create_only = false;          // write the new migration, do not apply it
  bool force = false;                // reset when needed; accept data-loss warnings
  // The operator's shadow database (SHADOW_DATABASE_URL, shadowDatabaseUrl);
  // else a temporary one on the development database's server.
  std::optional<pg::ConnInfo> shadow;
  // Prisma's `?schema=name` of the database URL: the PostgreSQL schema to
  // work in, here and in the shadow database (deploy.hpp's use_schema).
  std::optional<std::string> database_schema;
  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout;
  std::function<void(const AppliedMigration&)> on_applied;
  // The clock that names the new folder (tests set it).
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
};

struct TableRows {
  std::string table;
  long long rows = 0;
};

// What dev found before it changed anything.
struct DevDiagnosis {
  bool has_history_table = false;
  std::vector<std::string> failed;           // unresolved failed migrations
  std::vector<std::string> edited;           // applied, but the file changed since
  std::vector<std::string> missing_locally;  // applied, but no folder
  std::vector<std::string> pending;          // in the folder, not yet applied
  std::optional<std::string> drift;          // Prisma's summary from the history's schema to the live one
  std::string reset_reason;                  // Prisma's words; empty when no reset is needed

  [[nodiscard]] bool needs_reset() const noexcept { return !reset_reason.empty(); }
};

struct DevResult {
  DevDiagnosis diagnosis;
  bool reset = false;                     // `force` reset the database
  std::vector<TableRows> dropped;         // the tables the reset dropped, with their rows
  std::vector<AppliedMigration> applied;  // migrations applied before the new one (after a reset: all)
  std::optional<std::string> created;     // the new migration's folder name
  std::filesystem::path file;             // its migration.sql
  std::string script;                     // its text
  bool lock_file_written = false;         // migration_lock.toml was created
  DataLossReport data_loss;               // the new migration against the development database's data
  bool applied_created = false;           // the new migration was applied
};

// Throws Error(Refused) for a production mark, a needed reset without
// `force` and data-loss warnings without `force` (nothing changed);
// Error(Failure) for steps that cannot run on the data (nothing changed);
// Error(Database) when a migration fails to replay in the shadow database
// (P3006; nothing changed); MigrationFailed when applying one fails (it is
// recorded as failed); Error(Input) for a bad schema, folder or lock file;
// pg::DatabaseError.
[[nodiscard]] DevResult dev(const pg::ConnInfo& database, const DevOptions& options);

// Prisma's migration name for --name: transliterated to ASCII, camelCase
// split, lower case, every run of other characters one underscore, trimmed,
// at most 200 characters ("Add user.email!" -> "add_user_email").
[[nodiscard]] std::string sanitize_migration_name(std::string_view name);

}  // namespace soulstone::migrate
