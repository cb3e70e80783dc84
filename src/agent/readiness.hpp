#pragma once
// /readyz: is this deployment in a state to be relied on? Four checks, each
// pass, fail or unavailable (a capability this build does not have yet,
// which never fails readiness):
// * database: a connection and SELECT 1 within a few seconds;
// * migrations: `migrate status` of the database against the migrations
//   folder: nothing pending, failed, edited or unknown (unavailable when
//   the folder does not exist);
// * backup_age: the newest good backup in the store is younger than
//   max_backup_age and not suspiciously small (backup::check);
// * last_backup: the agent's last backup run did not fail.
// Results are cached for a second and the store's catalog for
// catalog_refresh (or until a job changes the store), so a probe storm
// costs nothing.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_metrics.hpp"
#include "catalog/catalog.hpp"
#include "pg/url.hpp"
#include "schedule/clock.hpp"
#include "store/store.hpp"

namespace soulstone::agent {

struct LastRun {
  schedule::Outcome outcome = schedule::Outcome::Succeeded;
  std::string message;
  std::chrono::system_clock::time_point at;
};

// What the jobs tell /readyz. Thread-safe.
class BackupState {
 public:
  void backup_finished(LastRun run);
  [[nodiscard]] std::optional<LastRun> last_backup() const;
  // A job wrote to or deleted from the store: a cached catalog is stale.
  void store_changed();
  [[nodiscard]] std::uint64_t store_generation() const;

 private:
  mutable std::mutex mutex_;
  std::optional<LastRun> last_backup_;
  std::uint64_t generation_ = 0;
};

struct Check {
  enum class Status { Pass, Fail, Unavailable };
  std::string name;
  Status status = Status::Pass;
  std::string detail;
};

struct ReadinessReport {
  bool ready = false;
  std::vector<Check> checks;
  [[nodiscard]] nlohmann::json to_json() const;
};

struct ReadinessOptions {
  pg::ConnInfo database;
  std::function<std::unique_ptr<store::ObjectStore>()> open_store;
  std::chrono::seconds max_backup_age{26 * 3600};
  double min_size_ratio = 0.5;
  std::chrono::seconds catalog_refresh{60};
  std::chrono::milliseconds cache{1000};
  // The migration status; empty: "unavailable".
  std::function<Check()> migrations;
  // False (serve-only agents): backup_age and last_backup are "unavailable".
  bool backups = true;
};

// The migrations check: migrate status of `database` against `folder`.
[[nodiscard]] Check migration_check(const pg::ConnInfo& database, const std::filesystem::path& folder);

class Readiness {
 public:
  Readiness(ReadinessOptions options, const schedule::Clock& clock, BackupState& state,
            AgentMetrics& metrics);
  [[nodiscard]] ReadinessReport evaluate();

 private:
  Check database() const;
  Check backup_age();
  Check last_backup() const;

  ReadinessOptions options_;
  const schedule::Clock& clock_;
  BackupState& state_;
  AgentMetrics& metrics_;
  std::mutex mutex_;
  std::optional<ReadinessReport> cached_;
  std::chrono::steady_clock::time_point cached_at_;
  std::uint64_t cached_generation_ = 0;
  std::optional<catalog::Catalog> catalog_;
  std::string catalog_error_;
  std::chrono::steady_clock::time_point catalog_at_;
  std::uint64_t catalog_generation_ = 0;
};

}  // namespace soulstone::agent
