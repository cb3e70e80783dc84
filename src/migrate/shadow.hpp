#pragma once
// The shadow database of `migrate dev`: a scratch database into which the
// migrations folder is replayed, so the schema the history builds can be
// read back (introspected) and compared.
//
// Either the operator names one (SHADOW_DATABASE_URL, or the datasource's
// shadowDatabaseUrl): its schema is emptied before use and it is never
// dropped; or a temporary database `prisma_migrate_shadow_db_<uuid>` (Prisma's
// name) is created on the server of the development database and always
// dropped: by the destructor, and, should the process die first (Ctrl-C,
// SIGTERM, a crash, SIGKILL), by a guardian process that waits on a pipe
// from us and drops it as soon as that pipe breaks.
//
// Not thread-safe; one owner.

#include <memory>
#include <optional>
#include <string>

#include "pg/connection.hpp"
#include "pg/url.hpp"

namespace soulstone::migrate {

struct ShadowOptions {
  // The operator's shadow database; when set, `server` is not used.
  std::optional<pg::ConnInfo> configured;
  // The server to create the temporary database on (the development
  // database's connection; its database is only used to connect).
  pg::ConnInfo server;
  // The PostgreSQL schema the migrations are replayed into (Prisma's
  // `?schema=`); the shadow database's search path is set to it.
  std::string schema = "public";
};

class ShadowDatabase {
 public:
  // Throws Error(Refused) for a configured shadow database marked production
  // or one that is the development database itself (`main`),
  // pg::DatabaseError when the database cannot be created or reached.
  ShadowDatabase(const ShadowOptions& options, const pg::ConnInfo& main);
  ShadowDatabase(const ShadowDatabase&) = delete;
  ShadowDatabase& operator=(const ShadowDatabase&) = delete;
  ~ShadowDatabase();

  [[nodiscard]] pg::Connection& connection() noexcept { return *connection_; }
  [[nodiscard]] const std::string& database() const noexcept { return database_; }
  [[nodiscard]] bool temporary() const noexcept { return temporary_; }

  // Empties the schema again (drops and recreates it), for a second replay.
  void reset();

 private:
  struct Guardian;
  std::string database_;
  bool temporary_ = false;
  std::string schema_;
  std::optional<pg::ConnInfo> server_;  // temporary: where to drop it from
  std::unique_ptr<Guardian> guardian_;
  std::unique_ptr<pg::Connection> connection_;
};

}  // namespace soulstone::migrate
