#pragma once
// Running one migration script, as Prisma's schema engine runs it: the whole
// file as one simple query, which PostgreSQL executes as one implicit
// transaction, so a failing statement leaves nothing of the file behind
// (unless the file issues its own BEGIN/COMMIT).

#include <span>
#include <string>

#include "base/error.hpp"
#include "migrate/migrations_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::migrate {

// A script that the server refused: which statement, where, and why.
class MigrationFailed : public Error {
 public:
  MigrationFailed(const LocalMigration& migration, pg::ServerError error, int statement, int line);
  // The same failure with an operator hint (what to do next depends on the caller).
  MigrationFailed(const MigrationFailed& failure, std::string hint);

  [[nodiscard]] const std::string& migration_name() const noexcept { return name_; }
  [[nodiscard]] const pg::ServerError& server_error() const noexcept { return error_; }
  // 1-based number of the failing statement in the file, 0 when unknown.
  [[nodiscard]] int statement() const noexcept { return statement_; }
  // 1-based line of the file where the failing statement (or the exact
  // error position, when the server gave one) is; 0 when unknown.
  [[nodiscard]] int line() const noexcept { return line_; }
  // The report Prisma keeps in _prisma_migrations.logs (its P3018 message).
  [[nodiscard]] const std::string& logs() const noexcept { return logs_; }

 private:
  std::string name_;
  pg::ServerError error_;
  int statement_;
  int line_;
  std::string logs_;
};

// Runs the migration's script. Throws MigrationFailed when the server
// refuses a statement; pg::DatabaseError when the connection fails.
void run_script(pg::Connection& connection, const LocalMigration& migration);

// Runs the scripts in order without touching the history: for a scratch
// (shadow) database that should end up with the schema the migrations build.
// Stops at the first failure (MigrationFailed).
void replay(pg::Connection& connection, std::span<const LocalMigration> migrations);

}  // namespace soulstone::migrate
