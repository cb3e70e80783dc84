#include "seeded_shop.hpp"

#include <stdexcept>

#include "pg/subprocess.hpp"
#include "postgres_env.hpp"

namespace soulstone::testing {

namespace {

void soulstone(const pg::ConnInfo& database, std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  args.push_back("--schema");
  args.push_back(SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma");
  pg::RunResult result = pg::run({.argv = args, .env = {{"DATABASE_URL", database.url()}}},
                                 {.timeout = std::chrono::minutes(5)});
  if (!result.status.ok())
    throw std::runtime_error(pg::display({.argv = args}) + ": " + result.status.describe() + "\n" +
                             result.out + result.err);
}

}  // namespace

pg::ConnInfo seeded_shop(double scale) {
  pg::ConnInfo database = fresh_database("shop");
  soulstone(database, {"migrate", "deploy"});
  soulstone(database, {"db", "seed", "--scale", std::to_string(scale), "--threads", "1"});
  return database;
}

}  // namespace soulstone::testing
