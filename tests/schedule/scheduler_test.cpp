// The scheduler on a manual clock: runs at fire times, never overlaps a job
// with itself, applies the missed-run policy after downtime and after long
// runs, and aborts a running job when stopped without counting it as done.
#include "schedule/scheduler.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <functional>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::schedule {
namespace {

using namespace std::chrono;

sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

// What the observer saw, and a way to wait for it.
class Journal {
 public:
  Observer observer() {
    return {
        .scheduled = [this](const std::string& job, sys_seconds next) { note([&] { next_[job] = next; }); },
        .missed = [this](const std::string& job, std::size_t count,
                         MissedPolicy) { note([&] { missed_[job] += count; }); },
        .started =
            [this](const std::string& job, sys_seconds fire) {
              note([&] { events_.push_back("start " + job + " " + format_utc_seconds(fire)); });
            },
        .finished =
            [this](const std::string& job, const RunResult& result, duration<double>) {
              note([&] { events_.push_back("end " + job + " " + to_string(result.outcome)); });
            },
        .problem =
            [this](const std::string& job, const std::string& problem) {
              note([&] { events_.push_back("problem " + job + " " + problem); });
            },
    };
  }

  // Waits until `ready` holds (checked under the journal's lock).
  void wait(const std::function<bool()>& ready) {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(changed_.wait_for(lock, seconds{10}, ready)) << "timed out; events: " << dump();
  }
  // Waits until `job` is asleep until a fire after `now`.
  void wait_idle(const std::string& job, Clock::time_point now) {
    wait([&] { return next_.count(job) != 0 && next_[job] > floor<seconds>(now); });
  }

  std::vector<std::string> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t missed(const std::string& job) {
    std::lock_guard lock(mutex_);
    return missed_[job];
  }
  sys_seconds next(const std::string& job) {
    std::lock_guard lock(mutex_);
    return next_[job];
  }
  std::size_t count(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(
        events_.begin(), events_.end(), [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }));
  }

 private:
  template <class F>
  void note(F change) {
    std::lock_guard lock(mutex_);
    change();
    changed_.notify_all();
  }
  std::string dump() const {
    std::string out;
    for (const auto& e : events_)
      out += e + "; ";
    return out;
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::map<std::string, sys_seconds> next_;
  std::map<std::string, std::size_t> missed_;
};

// A job body the test releases by hand.
class Gate {
 public:
  RunResult pass(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    ++entered_;
    opened_.notify_all();
    opened_.wait(lock, stop, [&] { return open_; });
    if (stop.stop_requested() && !open_) return {Outcome::Aborted, "stopped"};
    open_ = false;  // one run per opening
    return {};
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }
  void wait_entered(int count) {
    std::unique_lock lock(mutex_);
    ASSERT_TRUE(opened_.wait_for(lock, seconds{10}, [&] { return entered_ >= count; }));
  }

 private:
  std::mutex mutex_;
  std::condition_variable_any opened_;
  bool open_ = false;
  int entered_ = 0;
};

TEST(Scheduler, RunsEachJobAtItsFireTimes) {
  ManualClock clock(utc(2024, 5, 1, 1, 58));
  MemoryState state;
  Journal journal;
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
  scheduler.add({.name = "backup", .cron = CronExpression::parse("0 2 * * *"), .run = [](auto, auto) {
                   return RunResult{};
                 }});
  scheduler.add({.name = "check", .cron = CronExpression::parse("@hourly"), .run = [](auto, auto) {
                   return RunResult{Outcome::Failed, "stale"};
                 }});
  scheduler.start();
  journal.wait_idle("backup", clock.now());
  journal.wait_idle("check", clock.now());
  EXPECT_EQ(journal.next("backup"), utc(2024, 5, 1, 2));
  EXPECT_TRUE(journal.events().empty());

  clock.set(utc(2024, 5, 1, 2));
  journal.wait_idle("backup", clock.now());
  journal.wait_idle("check", clock.now());
  EXPECT_EQ(journal.count("start backup 2024-05-01T02:00:00Z"), 1U);
  EXPECT_EQ(journal.count("start check 2024-05-01T02:00:00Z"), 1U);
  EXPECT_EQ(journal.count("end check failure"), 1U);
  EXPECT_EQ(journal.next("backup"), utc(2024, 5, 2, 2));
  EXPECT_EQ(journal.next("check"), utc(2024, 5, 1, 3));
  EXPECT_EQ(state.last_fire("backup"), utc(2024, 5, 1, 2));

  clock.set(utc(2024, 5, 1, 3));
  journal.wait_idle("check", clock.now());
  EXPECT_EQ(journal.count("start check"), 2U);
  EXPECT_EQ(journal.count("start backup"), 1U);
  EXPECT_EQ(journal.missed("check"), 0U);
}

TEST(Scheduler, NeverOverlapsAJobWithItselfAndSkipsWhatItMissedWhileBusy) {
  ManualClock clock(utc(2024, 5, 1, 0, 0));
  MemoryState state;
  Journal journal;
  Gate gate;
  std::atomic<int> concurrent{0};
  std::atomic<int> most{0};
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
  scheduler.add({.name = "slow",
                 .cron = CronExpression::parse("*/5 * * * *"),
                 .missed = MissedPolicy::Skip,
                 .run = [&](std::stop_token stop, auto) {
                   most = std::max(most.load(), ++concurrent);
                   RunResult result = gate.pass(stop);
                   --concurrent;
                   return result;
                 }});
  scheduler.start();
  journal.wait_idle("slow", clock.now());
  clock.set(utc(2024, 5, 1, 0, 5));
  gate.wait_entered(1);
  // Three more fires pass while the first run is still going.
  clock.set(utc(2024, 5, 1, 0, 21) + seconds{30});
  EXPECT_TRUE(scheduler.running("slow"));
  gate.open();
  journal.wait_idle("slow", clock.now());
  EXPECT_EQ(most.load(), 1);
  EXPECT_EQ(journal.count("start slow"), 1U);  // the missed 0:10, 0:15, 0:20 were skipped
  EXPECT_EQ(journal.missed("slow"), 3U);
  EXPECT_EQ(journal.next("slow"), utc(2024, 5, 1, 0, 25));
  EXPECT_EQ(state.last_fire("slow"), utc(2024, 5, 1, 0, 20));
}

TEST(Scheduler, RunsOnceForEverythingMissedWhileBusyWhenAskedTo) {
  ManualClock clock(utc(2024, 5, 1, 0, 0));
  MemoryState state;
  Journal journal;
  Gate gate;
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
  scheduler.add({.name = "slow",
                 .cron = CronExpression::parse("*/5 * * * *"),
                 .missed = MissedPolicy::RunOnce,
                 .run = [&](std::stop_token stop, auto) { return gate.pass(stop); }});
  scheduler.start();
  journal.wait_idle("slow", clock.now());
  clock.set(utc(2024, 5, 1, 0, 5));
  gate.wait_entered(1);
  clock.set(utc(2024, 5, 1, 0, 21) + seconds{30});
  gate.open();
  gate.wait_entered(2);  // at once, for the fires of 0:10-0:20
  gate.open();
  journal.wait_idle("slow", clock.now());
  EXPECT_EQ(journal.events(),
            (std::vector<std::string>{"start slow 2024-05-01T00:05:00Z", "end slow success",
                                      "start slow 2024-05-01T00:20:00Z", "end slow success"}));
  EXPECT_EQ(journal.missed("slow"), 3U);
}

struct DowntimeCase {
  const char* why;
  MissedPolicy policy;
  sys_seconds last_fire;            // from the state file
  std::vector<std::string> events;  // what happens on start at 2024-05-10 09:00
  std::size_t missed;
};

TEST(Scheduler, AppliesTheMissedRunPolicyAfterDowntime) {
  const DowntimeCase cases[] = {
      {"three nights missed, run once",
       MissedPolicy::RunOnce,
       utc(2024, 5, 7, 2),
       {"start backup 2024-05-10T02:00:00Z", "end backup success"},
       3},
      {"three nights missed, skip", MissedPolicy::Skip, utc(2024, 5, 7, 2), {}, 3},
      {"nothing missed", MissedPolicy::RunOnce, utc(2024, 5, 10, 2), {}, 0},
      {"years missed: one run for the latest fire, a bounded count",
       MissedPolicy::RunOnce,
       utc(2020, 1, 1, 2),
       {"start backup 2024-05-10T02:00:00Z", "end backup success"},
       1000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    ManualClock clock(utc(2024, 5, 10, 9));
    MemoryState state;
    state.record_fire("backup", c.last_fire);
    Journal journal;
    Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
    scheduler.add({.name = "backup",
                   .cron = CronExpression::parse("0 2 * * *"),
                   .missed = c.policy,
                   .run = [](auto, auto) { return RunResult{}; }});
    scheduler.start();
    journal.wait_idle("backup", clock.now());
    EXPECT_EQ(journal.events(), c.events);
    EXPECT_EQ(journal.missed("backup"), c.missed);
    EXPECT_EQ(journal.next("backup"), utc(2024, 5, 11, 2));
    EXPECT_EQ(state.last_fire("backup"), utc(2024, 5, 10, 2));
  }
}

TEST(Scheduler, CatchesUpAnEveryMinuteJobAfterAMonthAtOnce) {
  ManualClock clock(utc(2024, 6, 1, 12) + seconds{10});
  MemoryState state;
  state.record_fire("tick", utc(2024, 5, 1));
  Journal journal;
  Scheduler scheduler(clock, TimeZone::load("Europe/Berlin"), state, journal.observer(), seconds{5});
  scheduler.add({.name = "tick",
                 .cron = CronExpression::parse("* * * * *"),
                 .missed = MissedPolicy::RunOnce,
                 .run = [](auto, auto) { return RunResult{}; }});
  auto began = steady_clock::now();
  scheduler.start();
  journal.wait_idle("tick", clock.now());
  EXPECT_LT(steady_clock::now() - began, seconds{2});
  EXPECT_EQ(journal.events(),
            (std::vector<std::string>{"start tick 2024-06-01T12:00:00Z", "end tick success"}));
  EXPECT_EQ(journal.missed("tick"), 1000U);
  EXPECT_EQ(state.last_fire("tick"), utc(2024, 6, 1, 12));
}

TEST(Scheduler, AFireReachedLateIsMissedButOneOnTimeRuns) {
  // The clock jumps past a fire by more than the tolerance (a suspended
  // machine): with Skip it does not run; a later fire reached on time does.
  ManualClock clock(utc(2024, 5, 1, 0, 0));
  MemoryState state;
  Journal journal;
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer(), seconds{60});
  scheduler.add({.name = "check",
                 .cron = CronExpression::parse("@hourly"),
                 .missed = MissedPolicy::Skip,
                 .run = [](auto, auto) { return RunResult{}; }});
  scheduler.start();
  journal.wait_idle("check", clock.now());
  clock.set(utc(2024, 5, 1, 1, 5));
  journal.wait_idle("check", clock.now());
  EXPECT_EQ(journal.count("start"), 0U);
  EXPECT_EQ(journal.missed("check"), 1U);
  clock.set(utc(2024, 5, 1, 2) + seconds{30});
  journal.wait_idle("check", clock.now());
  EXPECT_EQ(journal.count("start check 2024-05-01T02:00:00Z"), 1U);
}

TEST(Scheduler, StopAbortsTheRunningJobAndDoesNotCountItAsDone) {
  ManualClock clock(utc(2024, 5, 1, 1, 59));
  MemoryState state;
  state.record_fire("backup", utc(2024, 4, 30, 2));
  Journal journal;
  Gate gate;
  auto scheduler = std::make_unique<Scheduler>(clock, TimeZone::utc(), state, journal.observer());
  scheduler->add({.name = "backup",
                  .cron = CronExpression::parse("0 2 * * *"),
                  .missed = MissedPolicy::RunOnce,
                  .run = [&](std::stop_token stop, auto) { return gate.pass(stop); }});
  scheduler->start();
  journal.wait_idle("backup", clock.now());
  clock.set(utc(2024, 5, 1, 2));
  gate.wait_entered(1);
  scheduler->request_stop();
  scheduler->join();
  EXPECT_EQ(journal.events(),
            (std::vector<std::string>{"start backup 2024-05-01T02:00:00Z", "end backup aborted"}));
  EXPECT_EQ(state.last_fire("backup"), utc(2024, 4, 30, 2));
}

TEST(Scheduler, ExceptionsBecomeFailures) {
  ManualClock clock(utc(2024, 5, 1, 1, 59));
  MemoryState state;
  Journal journal;
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
  scheduler.add(
      {.name = "backup", .cron = CronExpression::parse("0 2 * * *"), .run = [](auto, auto) -> RunResult {
         throw Error(ErrorKind::Storage, "store unreachable");
       }});
  scheduler.start();
  journal.wait_idle("backup", clock.now());
  clock.set(utc(2024, 5, 1, 2));
  journal.wait_idle("backup", clock.now());
  EXPECT_EQ(journal.count("end backup failure"), 1U);
  EXPECT_EQ(state.last_fire("backup"), utc(2024, 5, 1, 2));  // a failure was handled: no catch-up
}

TEST(Scheduler, StopsPromptlyWhileEveryJobSleeps) {
  ManualClock clock(utc(2024, 5, 1));
  MemoryState state;
  Journal journal;
  Scheduler scheduler(clock, TimeZone::utc(), state, journal.observer());
  scheduler.add({.name = "drill", .cron = CronExpression::parse("@quarterly"), .run = [](auto, auto) {
                   return RunResult{};
                 }});
  scheduler.start();
  journal.wait_idle("drill", clock.now());
  auto began = steady_clock::now();
  scheduler.request_stop();
  scheduler.join();
  EXPECT_LT(steady_clock::now() - began, seconds{1});
}

TEST(FileState, KeepsFiresAcrossRestartsInAReadableFile) {
  TempDir dir("soulstone-state");
  std::string path = (dir.path() / "agent-state.json").string();
  {
    FileState state(path);
    EXPECT_FALSE(state.last_fire("backup").has_value());
    state.record_fire("backup", utc(2024, 5, 1, 2));
    state.record_fire("check", utc(2024, 5, 1, 3));
  }
  FileState again(path);
  EXPECT_EQ(again.last_fire("backup"), utc(2024, 5, 1, 2));
  EXPECT_EQ(again.last_fire("check"), utc(2024, 5, 1, 3));
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"last_fire\": \"2024-05-01T02:00:00Z\""), std::string::npos) << text;
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(FileState, RefusesABrokenFileAndSaysWhatToDo) {
  TempDir dir("soulstone-state");
  std::string path = (dir.path() / "agent-state.json").string();
  for (const char* text : {"{not json", "[]", "{\"version\": 2, \"jobs\": {}}",
                           "{\"version\": 1, \"jobs\": {\"backup\": {\"last_fire\": \"yesterday\"}}}"}) {
    std::ofstream(path) << text;
    try {
      FileState state(path);
      ADD_FAILURE() << "accepted " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Input);
      EXPECT_NE(std::string(error.what()).find(path), std::string::npos);
      EXPECT_NE(error.hint().find("delete it"), std::string::npos);
    }
  }
}

TEST(TimeText, RoundTripsAndRefusesNearMisses) {
  EXPECT_EQ(format_utc_seconds(utc(2024, 2, 29, 23, 59) + seconds{7}), "2024-02-29T23:59:07Z");
  EXPECT_EQ(parse_utc_seconds("2024-02-29T23:59:07Z"), utc(2024, 2, 29, 23, 59) + seconds{7});
  for (const char* bad : {"2023-02-29T00:00:00Z", "2024-02-29 23:59:07Z", "2024-02-29T23:59:07",
                          "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", ""})
    EXPECT_FALSE(parse_utc_seconds(bad).has_value()) << bad;
}

}  // namespace
}  // namespace soulstone::schedule
