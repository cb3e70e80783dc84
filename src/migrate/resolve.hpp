#pragma once
// migrate resolve: mark a migration in the history by hand, with Prisma's
// rules and errors, after a failed deploy was repaired (or to baseline a
// database that predates its migrations).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/advisory_lock.hpp"
#include "migrate/migrations_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

struct ResolveResult {
  std::string id;                        // the row written (--applied); empty for --rolled-back
  std::vector<std::string> rolled_back;  // ids of the failed attempts now marked rolled back
};

// --applied NAME: the local migration NAME is recorded as applied without
// running it (a finished row, empty logs, 0 steps); its failed attempts are
// marked rolled back. Creates the history table when it is missing (no
// emptiness check: this is how a database is baselined). Throws Error(Input)
// for an unknown name (P3017) or a provider mismatch, Error(Failure) when it
// is already recorded as applied (P3008).
ResolveResult resolve_applied(pg::Connection& connection, const MigrationsDir& dir, std::string_view name,
                              std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);

// --rolled-back NAME: its failed attempts are marked rolled back, so deploy
// runs it again. Throws Error(Failure) when it has no row (P3011) or none of
// its rows failed (P3012), Error(Input) when there is no history table.
ResolveResult resolve_rolled_back(pg::Connection& connection, std::string_view name,
                                  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);

}  // namespace soulstone::migrate
