#pragma once
// migrate deploy: apply the pending migrations of a folder, as Prisma's
// `migrate deploy` does, writing the same _prisma_migrations rows.
//
// Order (Prisma's): provider check; the migration lock; the history table
// (created in an empty database, refused in a database that has tables but
// no history: P3005); refusal while a failed migration is unresolved (P3009);
// then each migration the history does not hold (a rolled-back attempt does
// not count), in folder order: a started row, the script (apply.hpp), then
// the row finished, or its logs on failure, after which deploy stops.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "migrate/advisory_lock.hpp"
#include "migrate/history.hpp"
#include "migrate/migrations_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

struct AppliedMigration {
  std::string name;
  std::chrono::microseconds duration{0};
};

struct DeployOptions {
  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout;
  // Called after each migration is applied (for progress output).
  std::function<void(const AppliedMigration&)> on_applied;
};

struct DeployResult {
  std::vector<AppliedMigration> applied;  // in the order applied; empty when nothing was pending
};

// Throws: Error(Input) for a provider mismatch; Error(Failure) when the lock
// is not granted in time; Error(Refused) for P3005 and P3009; MigrationFailed
// (after recording the failure) when a script fails; pg::DatabaseError.
[[nodiscard]] DeployResult deploy(pg::Connection& connection, const MigrationsDir& dir,
                                  const DeployOptions& options = {});

// The ordinary tables of the current schema that make a database "not empty"
// for Prisma (PostGIS's own tables aside), sorted by name.
[[nodiscard]] std::vector<std::string> user_tables(pg::Connection& connection);

// Creates the schema "public" when it is missing, as Prisma does on connect;
// the history table is created in the current schema.
void ensure_public_schema(pg::Connection& connection);

// Prisma's `?schema=name` (see parse_database_url): creates the schema when it
// is missing and makes it the whole search path of this connection, as
// Prisma's engine does on connect, so the migrations and the history table
// land in it.
void use_schema(pg::Connection& connection, std::string_view schema);

}  // namespace soulstone::migrate
