// The target database: read-only checks before the restore, and the
// creation (and, after a failure, removal) of a database made for it.

#include <cstdlib>

#include "base/error.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "pg/user_tables.hpp"
#include "restore/internal.hpp"

namespace soulstone::restore::internal {

namespace {

std::string database_name(const pg::ConnInfo& target) {
  auto name = target.get("dbname");
  if (!name || name->empty())
    throw Error(ErrorKind::Usage, "the target URL " + target.redacted() + " names no database",
                "name it in the URL, e.g. postgresql://user@host/shop_restored");
  return *name;
}

// A session on the server's maintenance database, for CREATE/DROP DATABASE
// and for asking whether the target exists when it cannot be connected to.
pg::Connection open_maintenance(const pg::ConnInfo& target) {
  try {
    return pg::Connection::open(target.with_database("postgres"));
  } catch (const pg::DatabaseError&) {
    return pg::Connection::open(target.with_database("template1"));
  }
}

}  // namespace

TargetState inspect_target(const pg::ConnInfo& target, const Options& options) {
  const std::string name = database_name(target);
  std::optional<pg::Connection> connection;
  try {
    connection.emplace(pg::Connection::open(target));
  } catch (const pg::DatabaseError&) {
    // Tell "does not exist" apart from every other reason (a password, a
    // server that is down) by asking the server, never by parsing libpq's text.
    bool exists = true;
    try {
      pg::Connection admin = open_maintenance(target);
      exists = admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {name}).rows() > 0;
    } catch (const pg::DatabaseError&) {
    }
    if (exists) throw;
    if (!options.create)
      throw Error(ErrorKind::Input, "the target database " + target.redacted() + " does not exist",
                  "pass --create to create it, or name an existing database");
    return {.exists = false, .tables = 0};
  }
  pg::refuse_production(*connection, "restore", options.production_override);
  TargetState state{.exists = true, .tables = pg::count_user_tables(*connection)};
  if (state.tables > 0 && !options.clean)
    throw Error(ErrorKind::Refused,
                "restore refused: " + target.redacted() + " already holds " + std::to_string(state.tables) +
                    " table(s)",
                "nothing was changed; pass --clean to drop and replace the objects the backup holds, or "
                "restore into a new database with --create");
  return state;
}

void create_database(const pg::ConnInfo& target) {
  pg::Connection admin = open_maintenance(target);
  admin.exec("CREATE DATABASE " + admin.quote_identifier(database_name(target)));
}

bool drop_database(const pg::ConnInfo& target) noexcept {
  try {
    pg::Connection admin = open_maintenance(target);
    // FORCE: the killed pg_restore's session may not have noticed yet.
    admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(database_name(target)) + " WITH (FORCE)");
    return true;
  } catch (...) {
    return false;  // the caller's message says the database was left behind
  }
}

}  // namespace soulstone::restore::internal
