#pragma once
// migrate reset: drop the current schema with everything in it, recreate it
// empty (same owner, privileges and comment) and apply every migration.
// It is the one destructive migrate command: it refuses without `force`, and
// refuses a database marked production without the override, before it
// changes anything.

#include <string>
#include <vector>

#include "migrate/deploy.hpp"
#include "migrate/migrations_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

struct ResetOptions {
  bool force = false;                // --force: the operator means it
  bool production_override = false;  // --i-know-this-is-production
  DeployOptions deploy;
};

struct ResetResult {
  std::string schema;  // the schema that was dropped and recreated
  std::vector<std::string> dropped_tables;
  DeployResult deploy;
};

// Checks the migrations folder (provider, readable files) before anything is
// dropped, so a typo in --migrations never costs data. Throws Error(Refused)
// without `force` (naming what would be lost) or for a production mark, and
// everything deploy throws. The drop and the re-creation are one transaction.
[[nodiscard]] ResetResult reset(pg::Connection& connection, const MigrationsDir& dir,
                                const ResetOptions& options);

}  // namespace soulstone::migrate
