#pragma once
// The migration lock: PostgreSQL's session advisory lock 72707369, the
// number Prisma Migrate takes, so soulstone and Prisma exclude each other.

#include <chrono>

#include "pg/connection.hpp"

namespace soulstone::migrate {

inline constexpr long long kAdvisoryLockKey = 72707369;
// Prisma waits 10 seconds for the lock.
inline constexpr std::chrono::milliseconds kDefaultLockTimeout{10'000};

// Holds the lock for its lifetime on the caller's connection (released on
// destruction, and by the server if the connection drops). Session advisory
// locks nest: a second guard on the same connection does not wait.
class MigrationLock {
 public:
  // Waits up to `timeout`; throws Error(Failure) naming the lock when it
  // expires, pg::DatabaseError on other failures.
  MigrationLock(pg::Connection& connection, std::chrono::milliseconds timeout);
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock();

 private:
  pg::Connection& connection_;
};

}  // namespace soulstone::migrate
