#pragma once
// Runs the soulstone binary the benchmark was built with (SOULSTONE_BINARY)
// against a database, for fixtures that prepare data the way users do.

#include <stdexcept>
#include <string>
#include <vector>

#include "pg/subprocess.hpp"
#include "pg/url.hpp"

namespace soulstone::bench {

// Throws with the command's stderr when it fails.
inline void run_soulstone(const pg::ConnInfo& database, std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  pg::RunResult result = pg::run({.argv = args, .env = {{"DATABASE_URL", database.url()}}});
  if (!result.status.ok())
    throw std::runtime_error(pg::display({.argv = args}) + ": " + result.status.describe() + "\n" +
                             result.err);
}

}  // namespace soulstone::bench
