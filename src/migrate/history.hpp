#pragma once
// The migration history: Prisma's _prisma_migrations table, created and
// written exactly as Prisma's schema engine does, so either tool can take
// over a database from the other.
//
//   id                  VARCHAR(36)  a random UUID (v4), lowercase
//   checksum            VARCHAR(64)  SHA-256 hex of migration.sql's bytes
//   finished_at         TIMESTAMPTZ  set when the script succeeded
//   migration_name      VARCHAR(255) the folder name
//   logs                TEXT         NULL; the error report when it failed; '' for resolve --applied
//   rolled_back_at      TIMESTAMPTZ  set by resolve --rolled-back
//   started_at          TIMESTAMPTZ  when it was started (client clock, UTC)
//   applied_steps_count INTEGER      1 after a successful script, else 0
//
// A row is applied when finished_at is set and rolled_back_at is not, failed
// when neither is set, and ignored (an audit trail) once rolled back.
// The table is referred to unqualified, so it lives in the first schema of the
// search path, as Prisma's does.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/connection.hpp"

namespace soulstone::migrate {

inline constexpr std::string_view kHistoryTable = "_prisma_migrations";

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

struct HistoryRow {
  std::string id;
  std::string checksum;
  std::optional<Timestamp> finished_at;
  std::string migration_name;
  std::optional<std::string> logs;
  std::optional<Timestamp> rolled_back_at;
  Timestamp started_at;
  int applied_steps_count = 0;

  [[nodiscard]] bool applied() const noexcept { return finished_at && !rolled_back_at; }
  [[nodiscard]] bool failed() const noexcept { return !finished_at && !rolled_back_at; }
  [[nodiscard]] bool rolled_back() const noexcept { return rolled_back_at.has_value(); }
};

// The current time with microseconds, as the rows record it.
[[nodiscard]] Timestamp now();
// 2024-01-01T12:00:00.123456Z
[[nodiscard]] std::string iso8601(Timestamp when);
// As Prisma prints a time in its messages (chrono's form): 2024-01-01 12:00:00.123456 UTC
[[nodiscard]] std::string prisma_time(Timestamp when);

// A random UUID (version 4) in its lowercase text form.
[[nodiscard]] std::string random_uuid();

// Reads and writes the table over a connection the caller owns.
// Not thread-safe (one connection).
class History {
 public:
  explicit History(pg::Connection& connection) : connection_(connection) {}

  // Whether the table exists in the current schema (the first schema of the
  // search path that exists).
  [[nodiscard]] bool exists();
  // Prisma's CREATE TABLE, byte for byte.
  void create();
  // Every row ordered by started_at (then name, for ties); nullopt when the
  // table does not exist.
  [[nodiscard]] std::optional<std::vector<HistoryRow>> read();

  // deploy: a row for a migration about to run; returns its id.
  [[nodiscard]] std::string record_started(std::string_view name, std::string_view checksum, Timestamp when);
  // deploy: the script succeeded (applied_steps_count + 1, finished_at).
  void record_finished(std::string_view id, Timestamp when);
  // deploy: the script failed; `logs` is the error report.
  void record_failed(std::string_view id, std::string_view logs);
  // resolve --applied: a finished row with empty logs and 0 steps.
  [[nodiscard]] std::string record_applied(std::string_view name, std::string_view checksum, Timestamp when);
  // resolve --rolled-back, and resolve --applied for earlier failed attempts.
  void record_rolled_back(std::string_view id, Timestamp when);

 private:
  pg::Connection& connection_;
};

// The SQL text of Prisma's CREATE TABLE, for tests and documentation.
[[nodiscard]] std::string_view history_table_ddl();

}  // namespace soulstone::migrate
