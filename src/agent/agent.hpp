#pragma once
// soulstone agent: one long-running process that runs the backup schedule
// (backup, prune after each success, hourly check, quarterly drill) and
// serves /healthz, /readyz, /metrics and, with a token, the read API
// (src/api) (docs/operations.md, "The agent"). With config.serve_only it
// runs no job and needs no store: only the HTTP endpoints.
//
// Lifecycle: construct (validates everything: zone, schedules, store URL,
// state file), start() (binds the HTTP address, starts one thread per job),
// stop() (stops accepting, aborts jobs in flight: see store/cancellable.hpp), wait().

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "agent/agent_metrics.hpp"
#include "agent/config.hpp"
#include "agent/http_server.hpp"
#include "agent/jobs.hpp"
#include "agent/log.hpp"
#include "agent/readiness.hpp"
#include "api/read_api.hpp"
#include "pg/url.hpp"
#include "schedule/clock.hpp"
#include "schedule/scheduler.hpp"
#include "store/store.hpp"

namespace soulstone::agent {

// What tests replace; every member has a production default.
struct AgentDependencies {
  schedule::Clock* clock = nullptr;  // default: the system clock
  std::function<std::unique_ptr<store::ObjectStore>()>
      open_store;                               // default: store::open_store(config.store)
  std::unique_ptr<schedule::StateStore> state;  // default: FileState(config.state_file)
  Log* log = nullptr;                           // default: text lines on stderr
};

class Agent {
 public:
  // Throws Error(Input) for a configuration that cannot work.
  Agent(AgentConfig config, pg::ConnInfo database, AgentDependencies dependencies = {});
  ~Agent();  // stops and waits
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Binds the HTTP address (throws Error(Failure) when it cannot) and starts the jobs.
  void start();
  [[nodiscard]] int http_port() const noexcept { return port_; }

  // Idempotent; returns at once.
  void stop();
  // After stop(): waits up to `timeout` for every job to end, terminating
  // their PostgreSQL tool children meanwhile. False when one still runs.
  [[nodiscard]] bool wait(std::chrono::milliseconds timeout);

  [[nodiscard]] AgentMetrics& metrics() noexcept { return *metrics_; }
  [[nodiscard]] Readiness& readiness() noexcept { return *readiness_; }
  [[nodiscard]] const AgentConfig& config() const noexcept { return config_; }

 private:
  void add_jobs();
  void add_routes();
  void add_api_routes();
  schedule::Observer observer();

  AgentConfig config_;
  pg::ConnInfo database_;
  std::unique_ptr<schedule::SystemClock> own_clock_;
  schedule::Clock* clock_;
  std::unique_ptr<Log> own_log_;
  Log* log_;
  std::function<std::unique_ptr<store::ObjectStore>()> open_store_;
  std::unique_ptr<schedule::StateStore> state_;
  schedule::TimeZone zone_;
  std::unique_ptr<AgentMetrics> metrics_;
  BackupState backup_state_;
  std::unique_ptr<Readiness> readiness_;
  std::unique_ptr<JobContext> jobs_;
  std::unique_ptr<schedule::Scheduler> scheduler_;
  std::unique_ptr<api::ReadApi> api_;  // null when no token is configured
  std::unique_ptr<HttpServer> http_;
  int port_ = 0;
  bool started_ = false;

  std::mutex stop_mutex_;
  std::condition_variable stopped_;
  bool stop_requested_ = false;
  bool jobs_ended_ = false;
  std::thread joiner_;
};

}  // namespace soulstone::agent
