#pragma once
// Runs jobs on cron schedules: one thread per job, so a job never overlaps
// with itself while different jobs may run side by side.
//
// Missed runs. A fire is missed when it could not start on time (within
// `late_tolerance` of its instant): the agent was down (the last handled
// fire comes from the StateStore), the previous run of the same job was
// still going, or the machine slept. Each job says what happens then:
// * RunOnce: one run as soon as possible stands for all the missed fires;
// * Skip: the missed fires are dropped; the job waits for its next fire.
// Either way the observer hears how many were missed.
//
// Stopping. request_stop() wakes every sleeper and requests a stop on the
// token each running job was given; the job aborts at its next safe point.
// An aborted run does not count as handled, so RunOnce repeats it after a
// restart.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "schedule/clock.hpp"
#include "schedule/cron.hpp"
#include "schedule/zone.hpp"

namespace soulstone::schedule {

enum class MissedPolicy { RunOnce, Skip };
[[nodiscard]] const char* to_string(MissedPolicy policy) noexcept;

enum class Outcome { Succeeded, Failed, Aborted, Unavailable };
[[nodiscard]] const char* to_string(Outcome outcome) noexcept;

struct RunResult {
  Outcome outcome = Outcome::Succeeded;
  std::string message;  // one line for the log; never a secret
};

struct Job {
  std::string name;
  CronExpression cron;
  MissedPolicy missed = MissedPolicy::Skip;
  // The work. `fire` is the scheduled instant it stands for. Exceptions
  // become Outcome::Failed with their message.
  std::function<RunResult(std::stop_token stop, std::chrono::sys_seconds fire)> run;
};

// Where the last handled fire of each job is kept across restarts.
class StateStore {
 public:
  virtual ~StateStore() = default;
  [[nodiscard]] virtual std::optional<std::chrono::sys_seconds> last_fire(const std::string& job) = 0;
  virtual void record_fire(const std::string& job, std::chrono::sys_seconds fire) = 0;
};

class MemoryState final : public StateStore {
 public:
  std::optional<std::chrono::sys_seconds> last_fire(const std::string& job) override;
  void record_fire(const std::string& job, std::chrono::sys_seconds fire) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::chrono::sys_seconds> fires_;
};

// A JSON file ({"jobs": {"backup": {"last_fire": "2024-...Z"}}}), replaced
// atomically on every record; format in docs/formats/agent-state.md.
// A missing file is an empty state; an unreadable one throws Error(Input).
class FileState final : public StateStore {
 public:
  explicit FileState(std::string path);
  std::optional<std::chrono::sys_seconds> last_fire(const std::string& job) override;
  void record_fire(const std::string& job, std::chrono::sys_seconds fire) override;

 private:
  std::string path_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::sys_seconds> fires_;
};

// Callbacks from the job threads (any thread; they must be thread-safe).
struct Observer {
  std::function<void(const std::string& job, std::chrono::sys_seconds next)> scheduled;
  std::function<void(const std::string& job, std::size_t count, MissedPolicy policy)> missed;
  std::function<void(const std::string& job, std::chrono::sys_seconds fire)> started;
  std::function<void(const std::string& job, const RunResult& result, std::chrono::duration<double> took)>
      finished;
  std::function<void(const std::string& job, const std::string& problem)> problem;
};

class Scheduler {
 public:
  Scheduler(Clock& clock, TimeZone zone, StateStore& state, Observer observer,
            std::chrono::seconds late_tolerance = std::chrono::seconds(60));
  ~Scheduler();  // requests a stop and joins
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // REQUIRES: start() has not been called.
  void add(Job job);
  void start();
  void request_stop();
  // Waits for every job thread to end (after request_stop()).
  void join();

  [[nodiscard]] bool running(const std::string& job) const;
  [[nodiscard]] const TimeZone& zone() const noexcept { return zone_; }

 private:
  struct Slot {
    Job job;
    std::atomic<bool> running{false};
    std::jthread thread;
  };
  void loop(Slot& slot, std::stop_token stop);
  void run_once(Slot& slot, std::stop_token stop, std::chrono::sys_seconds fire, bool& aborted);

  Clock& clock_;
  TimeZone zone_;
  StateStore& state_;
  Observer observer_;
  std::chrono::seconds late_tolerance_;
  std::vector<std::unique_ptr<Slot>> slots_;
  bool started_ = false;
};

}  // namespace soulstone::schedule
