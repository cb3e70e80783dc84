#pragma once
// The agent's jobs, each a call into the library the CLI uses, plus the
// metrics and log lines of its outcome:
// * backup: backup::run into the store, then (when enabled) the prune:
//   backup::prune with the configured retention, after a success only;
// * check: backup::check_store (age, size, and a full verify of the newest
//   backup unless verify = false);
// * drill: drill::run of the latest backup (the CLI's `soulstone drill`,
//   with [agent.drill]'s schema, report and fresh_instance, [agent]
//   migrations and the file's [drill] section), its report appended to the
//   runbook; the job fails unless the verdict is passed.
// A stop request aborts a job at its next store call or data piece, and
// its pg_dump is terminated (store/cancellable.hpp); the run then counts as aborted.

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>

#include "agent/agent_metrics.hpp"
#include "agent/config.hpp"
#include "agent/log.hpp"
#include "agent/readiness.hpp"
#include "archive/cipher_sink.hpp"
#include "pg/url.hpp"
#include "schedule/clock.hpp"
#include "schedule/scheduler.hpp"
#include "schedule/zone.hpp"
#include "store/store.hpp"

namespace soulstone::agent {

struct JobContext {
  const AgentConfig& config;
  pg::ConnInfo database;
  std::function<std::unique_ptr<store::ObjectStore>()> open_store;
  std::optional<archive::Key> key;  // SOULSTONE_BACKUP_KEY
  const schedule::Clock& clock;
  schedule::TimeZone zone;
  AgentMetrics& metrics;
  BackupState& state;
  Log& log;
};

[[nodiscard]] schedule::RunResult run_backup(JobContext& context, std::stop_token stop);
[[nodiscard]] schedule::RunResult run_check(JobContext& context, std::stop_token stop);
[[nodiscard]] schedule::RunResult run_drill(JobContext& context, std::stop_token stop);

}  // namespace soulstone::agent
