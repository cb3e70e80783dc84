#pragma once
// Everything /metrics shows: the latest samples of each job (backup, prune,
// check, drill: the same metrics the CLI writes to a textfile) and the
// agent's own counters (uptime, job runs and failures, missed fires, HTTP
// requests). docs/operations.md lists every name.
//
// Thread-safety: every member may be called from any thread.

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "monitor/metrics.hpp"
#include "schedule/clock.hpp"
#include "schedule/scheduler.hpp"

namespace soulstone::agent {

class AgentMetrics {
 public:
  // `jobs` and `routes` are known up front, so their counters exist (at 0)
  // from the first scrape and rate() and absent() alerts work.
  AgentMetrics(const schedule::Clock& clock, std::vector<std::string> jobs, std::vector<std::string> routes);

  void job_scheduled(const std::string& job, std::chrono::sys_seconds next);
  void job_started(const std::string& job);
  void job_finished(const std::string& job, schedule::Outcome outcome, std::chrono::duration<double> took);
  void job_missed(const std::string& job, std::size_t count);
  // Replaces the samples a job group last reported ("backup", "prune", ...).
  void set_samples(const std::string& group, std::vector<monitor::Sample> samples);
  // `route` is one of the known routes or anything else (counted as "other").
  void http_request(const std::string& route, int status);

  [[nodiscard]] std::string render() const;  // Prometheus text format 0.0.4
  [[nodiscard]] double counter(const std::string& name,
                               const std::map<std::string, std::string>& labels) const;

 private:
  struct Job {
    std::map<schedule::Outcome, double> runs;
    double missed = 0;
    bool running = false;
    double last_started = 0;
    double last_finished = 0;
    double last_duration = 0;
    double next = 0;
  };
  const schedule::Clock& clock_;
  std::chrono::system_clock::time_point started_;
  std::vector<std::string> routes_;
  mutable std::mutex mutex_;
  std::map<std::string, Job> jobs_;
  std::map<std::string, std::vector<monitor::Sample>> samples_;
  std::map<std::pair<std::string, int>, double> requests_;
};

}  // namespace soulstone::agent
