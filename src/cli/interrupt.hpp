#pragma once
// SIGINT and SIGTERM during a long command. Without this a drill would die
// where it stands and leave its copy, or a whole embedded instance, behind.
// While a StopOnSignal lives, the two signals are blocked in every thread
// and taken by a watcher thread: the first one asks the command to stop
// (its token), terminates its PostgreSQL tool children (a pg_restore then
// fails at once) and lets the command unwind through its failure path,
// clean-up included. A second one exits at once, as a user pressing Ctrl-C
// twice expects.

#include <atomic>
#include <csignal>
#include <stop_token>
#include <thread>

namespace soulstone::cli {

class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  [[nodiscard]] std::stop_token token() const noexcept { return stop_.get_token(); }
  // The signal that asked for the stop (SIGINT or SIGTERM), else 0.
  [[nodiscard]] int received() const noexcept { return received_.load(); }
  // "SIGINT", "SIGTERM"; empty before a signal.
  [[nodiscard]] const char* received_name() const noexcept;

 private:
  void watch();

  sigset_t signals_{};
  sigset_t previous_mask_{};
  std::stop_source stop_;
  std::atomic<int> received_{0};
  std::atomic<bool> done_{false};
  std::thread watcher_;
};

}  // namespace soulstone::cli
