// Table-driven checks of the grandfather-father-son plan over synthetic
// histories. Expected keep sets are written out as dates, by hand, from the
// policy's definition (docs/operations.md, "Retention").
#include "retention/retention.hpp"

#include <gtest/gtest.h>

#include <set>

#include "base/error.hpp"

namespace soulstone::retention {
namespace {

using namespace std::chrono;

sys_seconds at(int y, unsigned m, unsigned d, int hh = 2, int mm = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm};
}

std::string id_of(sys_seconds t) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss time{t - day};
  char out[40];
  std::snprintf(out, sizeof out, "soulstone-%04d%02u%02u-%02ld%02ld", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), long(time.hours().count()), long(time.minutes().count()));
  return out;
}

// One backup every `step` from `first` to `last` inclusive.
std::vector<Backup> every(sys_seconds first, sys_seconds last, seconds step) {
  std::vector<Backup> out;
  for (sys_seconds t = first; t <= last; t += step)
    out.push_back({id_of(t), t});
  return out;
}

std::set<std::string> kept(const std::vector<Decision>& decisions) {
  std::set<std::string> out;
  for (const auto& d : decisions)
    if (d.verdict == Verdict::Keep) out.insert(d.id);
  return out;
}

std::set<std::string> ids(std::initializer_list<sys_seconds> times) {
  std::set<std::string> out;
  for (auto t : times)
    out.insert(id_of(t));
  return out;
}

// The 30 daily backups ending at the given day, at the given hour.
void add_days(std::set<std::string>& out, sys_days last, int count, int hour) {
  for (int i = 0; i < count; ++i)
    out.insert(id_of(last - days{i} + hours{hour}));
}

TEST(Retention, DailyBackupsOverFourYears) {
  auto history = every(at(2023, 1, 1), at(2026, 11, 24), hours{24});
  auto plan_ = plan(history, Policy{}, at(2026, 11, 24, 3), utc_calendar());
  std::set<std::string> expected;
  add_days(expected, sys_days{2026y / November / 24}, 30, 2);  // 2026-10-26 .. 2026-11-24
  // Newest of each of the 12 months 2025-12 .. 2026-11 (Oct and Nov are in the daily set).
  for (auto t : {at(2025, 12, 31), at(2026, 1, 31), at(2026, 2, 28), at(2026, 3, 31), at(2026, 4, 30),
                 at(2026, 5, 31), at(2026, 6, 30), at(2026, 7, 31), at(2026, 8, 31), at(2026, 9, 30)})
    expected.insert(id_of(t));
  expected.insert(id_of(at(2024, 12, 31)));  // yearly 2024; 2025 and 2026 already kept
  EXPECT_EQ(kept(plan_), expected);
  EXPECT_EQ(expected.size(), 41u);
  EXPECT_EQ(plan_.size(), history.size());
}

TEST(Retention, TwiceDailyKeepsTheNewestOfEachDay) {
  auto history = every(at(2026, 1, 1, 2), at(2026, 11, 24, 14), hours{12});
  auto plan_ = plan(history, Policy{}, at(2026, 11, 24, 15), utc_calendar());
  std::set<std::string> expected;
  add_days(expected, sys_days{2026y / November / 24}, 30, 14);
  for (auto t : {at(2026, 1, 31, 14), at(2026, 2, 28, 14), at(2026, 3, 31, 14), at(2026, 4, 30, 14),
                 at(2026, 5, 31, 14), at(2026, 6, 30, 14), at(2026, 7, 31, 14), at(2026, 8, 31, 14),
                 at(2026, 9, 30, 14)})
    expected.insert(id_of(t));
  EXPECT_EQ(kept(plan_), expected);
}

TEST(Retention, FailedNightsNeverErodeTheHistory) {
  // Backups stopped succeeding on 2026-10-01; pruning on 2026-11-24 counts
  // from the newest good backup, so the 30 days before it all stay.
  auto history = every(at(2026, 6, 1), at(2026, 10, 1), hours{24});
  auto plan_ = plan(history, Policy{}, at(2026, 11, 24), utc_calendar());
  std::set<std::string> expected;
  add_days(expected, sys_days{2026y / October / 1}, 30, 2);  // 2026-09-02 .. 2026-10-01
  for (auto t : {at(2026, 6, 30), at(2026, 7, 31), at(2026, 8, 31)})
    expected.insert(id_of(t));
  EXPECT_EQ(kept(plan_), expected);
}

TEST(Retention, IrregularHistoryWithGaps) {
  std::vector<Backup> history;
  for (auto t : {at(2024, 3, 5), at(2024, 3, 9), at(2025, 7, 1), at(2025, 7, 20, 8), at(2025, 7, 20, 9),
                 at(2026, 2, 2), at(2026, 11, 1), at(2026, 11, 1, 23, 59), at(2026, 11, 20)})
    history.push_back({id_of(t), t});
  auto plan_ = plan(history, Policy{}, at(2026, 11, 24), utc_calendar());
  EXPECT_EQ(kept(plan_), ids({at(2026, 11, 20), at(2026, 11, 1, 23, 59),  // daily window 10-22 .. 11-20
                              at(2026, 2, 2),                             // monthly 2026-02
                              at(2025, 7, 20, 9),  // yearly 2025 (not monthly: 12 months back = 2025-12)
                              at(2024, 3, 9)}));   // yearly 2024
  for (const auto& d : plan_) {
    if (d.id == id_of(at(2026, 11, 1))) {
      EXPECT_EQ(d.reason, "superseded by " + id_of(at(2026, 11, 1, 23, 59)) + ", the newest of 2026-11-01");
    }
  }
}

TEST(Retention, LeapDayAndMonthEnds) {
  std::vector<Backup> history;
  for (auto t :
       {at(2024, 2, 28), at(2024, 2, 29), at(2024, 3, 1), at(2024, 12, 31, 23, 59), at(2025, 1, 1, 0, 1)})
    history.push_back({id_of(t), t});
  Policy policy{.daily = 1, .monthly = 12, .yearly = 3};
  auto plan_ = plan(history, policy, at(2025, 1, 2), utc_calendar());
  // Months 2024-02 .. 2025-01: Feb's newest is the leap day.
  EXPECT_EQ(kept(plan_),
            ids({at(2025, 1, 1, 0, 1), at(2024, 12, 31, 23, 59), at(2024, 3, 1), at(2024, 2, 29)}));
}

TEST(Retention, DaysFollowThePoliciesTimeZone) {
  // 21:00Z and 23:30Z on 31 March are 23:00 on 31 March and 01:30 on 1 April in Berlin (CEST).
  std::vector<Backup> history = {
      {"a", at(2026, 3, 31, 21)}, {"b", at(2026, 3, 31, 23, 30)}, {"c", at(2026, 6, 15)}};
  Policy policy{.daily = 1, .monthly = 12, .yearly = 0};
  EXPECT_EQ(kept(plan(history, policy, at(2026, 6, 16), utc_calendar())), (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(kept(plan(history, policy, at(2026, 6, 16), zone_calendar("Europe/Berlin"))),
            (std::set<std::string>{"a", "b", "c"}));
}

TEST(Retention, UnknownTimeZoneIsAnInputError) {
  try {
    (void)zone_calendar("Mars/Olympus");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_STREQ(error.what(), "unknown time zone 'Mars/Olympus'");
  }
}

TEST(Retention, OrdersByManifestTimeNotByName) {
  // Names that sort the other way round from their finish times.
  std::vector<Backup> history = {{"zzz-oldest", at(2026, 11, 20, 1)}, {"aaa-newest", at(2026, 11, 20, 5)}};
  auto plan_ = plan(history, Policy{}, at(2026, 11, 21), utc_calendar());
  EXPECT_EQ(plan_.front().id, "aaa-newest");
  EXPECT_EQ(kept(plan_), (std::set<std::string>{"aaa-newest"}));
}

TEST(Retention, TheNewestGoodBackupIsAlwaysKept) {
  std::vector<Backup> history = {{"old", at(2020, 1, 1)}, {"new", at(2021, 1, 1)}};
  auto plan_ = plan(history, Policy{.daily = 0, .monthly = 0, .yearly = 0}, at(2026, 11, 24), utc_calendar());
  EXPECT_EQ(kept(plan_), (std::set<std::string>{"new"}));
  EXPECT_EQ(plan_.front().reason, "the newest good backup");
  EXPECT_EQ(plan_.back().reason, "older than every window (0 days, 0 months, 0 years back from 2021-01-01)");
}

TEST(Retention, IncompleteBackupsGoOnlyAfterTheGracePeriod) {
  std::vector<Backup> history = {{"good", at(2026, 11, 23)},
                                 {"crashed", at(2026, 11, 22), false},
                                 {"uploading", at(2026, 11, 24, 1), false}};
  auto plan_ = plan(history, Policy{}, at(2026, 11, 24, 2), utc_calendar());
  EXPECT_EQ(kept(plan_), (std::set<std::string>{"good", "uploading"}));
  // An incomplete backup never anchors the windows.
  EXPECT_EQ(plan_.back().id, "crashed");
  EXPECT_EQ(plan_.back().reason, "incomplete (no manifest), older than 24h");
}

TEST(Retention, EmptyStoreGivesAnEmptyPlan) {
  EXPECT_TRUE(plan({}, Policy{}, at(2026, 11, 24), utc_calendar()).empty());
}

TEST(Retention, NegativeCountsAreRefused) {
  EXPECT_THROW((void)plan({}, Policy{.daily = -1}, at(2026, 11, 24), utc_calendar()), Error);
}

}  // namespace
}  // namespace soulstone::retention
