#pragma once
// What every command shares: the global flags and how they resolve to a
// database, a schema path and an output mode.

#include <filesystem>
#include <string>

#include "pg/embedded.hpp"
#include "pg/url.hpp"

namespace soulstone::cli {

struct Context {
  bool json = false;                               // --json: machine-readable output on stdout
  std::filesystem::path pg_dir = ".soulstone/pg";  // --pg-dir / SOULSTONE_PG_DIR

  [[nodiscard]] pg::EmbeddedServer embedded() const { return pg::EmbeddedServer({.dir = pg_dir}); }

  // DATABASE_URL when set; otherwise the embedded server, started on demand.
  [[nodiscard]] pg::ConnInfo database() const;
};

}  // namespace soulstone::cli
