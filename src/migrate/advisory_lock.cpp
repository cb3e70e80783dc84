#include "migrate/advisory_lock.hpp"

#include <string>

namespace soulstone::migrate {

namespace {
constexpr const char* kQueryCanceled = "57014";
}

MigrationLock::MigrationLock(pg::Connection& connection, std::chrono::milliseconds timeout)
    : connection_(connection) {
  try {
    connection_.exec("SELECT pg_advisory_lock(72707369)", {.timeout = timeout});
  } catch (const pg::DatabaseError& error) {
    if (error.sqlstate() != kQueryCanceled) throw;
    auto seconds = std::chrono::duration<double>(timeout).count();
    char text[32];
    std::snprintf(text, sizeof text, "%g", seconds);
    throw Error(
        ErrorKind::Failure,
        "timed out after " + std::string(text) + " s waiting for the migration lock (pg_advisory_lock " +
            std::to_string(kAdvisoryLockKey) + ") on " + connection_.display_url(),
        "another migrate deploy, dev, resolve or reset (soulstone's or Prisma's) is running against this "
        "database; let it finish, or raise --lock-timeout");
  }
}

MigrationLock::~MigrationLock() {
  try {
    connection_.exec("SELECT pg_advisory_unlock(72707369)");
  } catch (...) {
    // A broken connection has lost the lock already; nothing to release.
  }
}

}  // namespace soulstone::migrate
