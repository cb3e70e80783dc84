#include "schedule/scheduler.hpp"

#include <exception>

#include "schedule/next_fire.hpp"

namespace soulstone::schedule {

using namespace std::chrono;

namespace {

// Counting missed fires one by one would take long after months of
// downtime of an every-minute job; past this many the count is a lower bound.
constexpr std::size_t kCountLimit = 1000;

struct DueFires {
  std::optional<sys_seconds> latest;
  std::size_t count = 0;
};

// The latest fire at or before `until` and after `after`, searched in
// growing windows back from `until`, so only a few fires are enumerated
// whatever the schedule's period.
std::optional<sys_seconds> latest_fire(const CronExpression& cron, const TimeZone& zone, sys_seconds after,
                                       sys_seconds until) {
  for (seconds window :
       {seconds(hours(1)), seconds(hours(25)), seconds(days(35)), seconds(days(400)), seconds(years(13))}) {
    const sys_seconds start = std::max(after, until - window);
    sys_seconds cursor = start;
    std::optional<sys_seconds> latest;
    while (auto fire = next_fire(cron, zone, cursor)) {
      if (*fire > until) break;
      latest = fire;
      cursor = *fire;
    }
    if (latest || start == after) return latest;
  }
  return std::nullopt;
}

DueFires due_fires(const CronExpression& cron, const TimeZone& zone, sys_seconds last, sys_seconds now) {
  DueFires due;
  due.latest = latest_fire(cron, zone, last, now);
  if (!due.latest) return due;
  sys_seconds cursor = last;
  while (due.count < kCountLimit) {
    auto fire = next_fire(cron, zone, cursor);
    if (!fire || *fire > *due.latest) break;
    ++due.count;
    cursor = *fire;
  }
  return due;
}

}  // namespace

const char* to_string(MissedPolicy policy) noexcept {
  return policy == MissedPolicy::RunOnce ? "run-once" : "skip";
}

const char* to_string(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::Succeeded:
      return "success";
    case Outcome::Failed:
      return "failure";
    case Outcome::Aborted:
      return "aborted";
    case Outcome::Unavailable:
      return "unavailable";
  }
  return "unknown";
}

Scheduler::Scheduler(Clock& clock, TimeZone zone, StateStore& state, Observer observer,
                     seconds late_tolerance)
    : clock_(clock),
      zone_(std::move(zone)),
      state_(state),
      observer_(std::move(observer)),
      late_tolerance_(late_tolerance) {}

Scheduler::~Scheduler() {
  request_stop();
  join();
}

void Scheduler::add(Job job) {
  auto slot = std::make_unique<Slot>();
  slot->job = std::move(job);
  slots_.push_back(std::move(slot));
}

void Scheduler::start() {
  started_ = true;
  for (auto& slot : slots_) {
    Slot* raw = slot.get();
    raw->thread = std::jthread([this, raw](std::stop_token stop) { loop(*raw, stop); });
  }
}

void Scheduler::request_stop() {
  for (auto& slot : slots_)
    slot->thread.request_stop();
}

void Scheduler::join() {
  for (auto& slot : slots_)
    if (slot->thread.joinable()) slot->thread.join();
}

bool Scheduler::running(const std::string& job) const {
  for (const auto& slot : slots_)
    if (slot->job.name == job) return slot->running.load();
  return false;
}

void Scheduler::run_once(Slot& slot, std::stop_token stop, sys_seconds fire, bool& aborted) {
  const std::string& name = slot.job.name;
  slot.running = true;
  if (observer_.started) observer_.started(name, fire);
  auto began = steady_clock::now();
  RunResult result;
  try {
    result = slot.job.run(stop, fire);
  } catch (const std::exception& error) {
    result = {Outcome::Failed, error.what()};
  } catch (...) {
    result = {Outcome::Failed, "unknown error"};
  }
  if (stop.stop_requested() && result.outcome != Outcome::Succeeded) result.outcome = Outcome::Aborted;
  aborted = result.outcome == Outcome::Aborted;
  slot.running = false;
  if (observer_.finished) observer_.finished(name, result, steady_clock::now() - began);
}

void Scheduler::loop(Slot& slot, std::stop_token stop) {
  const Job& job = slot.job;
  auto now_seconds = [&] { return floor<seconds>(clock_.now()); };
  std::optional<sys_seconds> last;
  try {
    last = state_.last_fire(job.name);
  } catch (const std::exception& error) {
    if (observer_.problem) observer_.problem(job.name, error.what());
  }
  // Never run before: nothing can have been missed; start counting now.
  if (!last) last = now_seconds();

  while (!stop.stop_requested()) {
    sys_seconds now = now_seconds();
    std::optional<sys_seconds> next = next_fire(job.cron, zone_, *last);
    if (!next) return;  // cannot happen for parsed expressions; nothing to do
    if (*next > now) {
      if (observer_.scheduled) observer_.scheduled(job.name, *next);
      clock_.sleep_until(*next, stop);
      continue;
    }
    DueFires due = due_fires(job.cron, zone_, *last, now);
    bool on_time = now - *due.latest <= late_tolerance_;
    std::size_t missed = on_time ? due.count - 1 : due.count;
    if (missed > 0 && observer_.missed) observer_.missed(job.name, missed, job.missed);
    if (on_time || job.missed == MissedPolicy::RunOnce) {
      bool aborted = false;
      run_once(slot, stop, *due.latest, aborted);
      if (aborted) return;  // not handled: a restart catches it up (RunOnce)
    }
    last = due.latest;
    try {
      state_.record_fire(job.name, *last);
    } catch (const std::exception& error) {
      if (observer_.problem) observer_.problem(job.name, error.what());
    }
  }
}

}  // namespace soulstone::schedule
