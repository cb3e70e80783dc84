#include "schedule/clock.hpp"

#include <algorithm>

namespace soulstone::schedule {

bool SystemClock::sleep_until(time_point deadline, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    time_point now = std::chrono::system_clock::now();
    if (now >= deadline) return true;
    // A bounded slice: waits on the system clock can miss a clock that is
    // set backwards or a machine that was suspended.
    time_point slice = std::min(deadline, now + std::chrono::seconds(30));
    wake_.wait_until(lock, stop, slice, [] { return false; });
  }
  return false;
}

Clock::time_point ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

bool ManualClock::sleep_until(time_point deadline, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  ++sleepers_;
  moved_.notify_all();  // a test waiting for sleepers() sees this one
  bool reached = moved_.wait(lock, stop, [&] { return now_ >= deadline; });
  --sleepers_;
  moved_.notify_all();
  return reached;
}

void ManualClock::set(time_point to) {
  std::lock_guard lock(mutex_);
  now_ = to;
  moved_.notify_all();
}

void ManualClock::advance(std::chrono::system_clock::duration by) {
  std::lock_guard lock(mutex_);
  now_ += by;
  moved_.notify_all();
}

int ManualClock::sleepers() const {
  std::lock_guard lock(mutex_);
  return sleepers_;
}

}  // namespace soulstone::schedule
