#pragma once
// The clock a scheduler reads and sleeps on: the system clock in
// production, a manual one in tests (time moves only when the test says so).
//
// Thread-safety: both clocks may be used from any number of threads.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace soulstone::schedule {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
  // Blocks until now() >= deadline (true) or a stop is requested (false).
  virtual bool sleep_until(time_point deadline, std::stop_token stop) = 0;
};

// The system's wall clock. Sleeps in slices of at most 30 s and re-reads
// the clock, so a clock that is set (NTP step, suspend) is noticed.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::system_clock::now(); }
  bool sleep_until(time_point deadline, std::stop_token stop) override;

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
};

// A clock that stands still until set() or advance() moves it; sleepers
// whose deadline has come wake up then.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start) : now_(start) {}
  [[nodiscard]] time_point now() const override;
  bool sleep_until(time_point deadline, std::stop_token stop) override;

  void set(time_point to);
  void advance(std::chrono::system_clock::duration by);
  // How many threads are blocked in sleep_until() right now (lets a test
  // wait until a scheduler has gone back to sleep).
  [[nodiscard]] int sleepers() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable_any moved_;
  time_point now_;
  int sleepers_ = 0;
};

}  // namespace soulstone::schedule
