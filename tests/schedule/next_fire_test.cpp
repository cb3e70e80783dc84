// When schedules fire in real zones, across daylight saving changes, by the
// rule written in schedule/next_fire.hpp. Expected instants are in UTC,
// worked out by hand from the zones' published transitions.
#include "schedule/next_fire.hpp"

#include <gtest/gtest.h>

#include "schedule/time_text.hpp"

namespace soulstone::schedule {
namespace {

using namespace std::chrono;

sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

struct FireCase {
  const char* why;
  const char* zone;
  const char* expression;
  sys_seconds after;
  std::vector<const char*> fires;  // the next fires, in order, as UTC
};

TEST(NextFire, FollowsTheWallClockAndTheDstRule) {
  const FireCase cases[] = {
      {"nightly in UTC",
       "UTC",
       "0 2 * * *",
       utc(2024, 1, 1, 3),
       {"2024-01-02T02:00:00Z", "2024-01-03T02:00:00Z"}},
      {"strictly after a fire instant", "UTC", "0 2 * * *", utc(2024, 1, 2, 2), {"2024-01-03T02:00:00Z"}},
      {"nightly in Berlin, winter and summer",
       "Europe/Berlin",
       "0 2 * * *",
       utc(2024, 3, 29, 12),
       {"2024-03-30T01:00:00Z", "2024-03-31T01:00:00Z", "2024-04-01T00:00:00Z"}},
      // New York, 2024-03-10: 02:00 EST -> 03:00 EDT (07:00 UTC)
      {"a skipped fixed time fires once at the jump",
       "America/New_York",
       "30 2 * * *",
       utc(2024, 3, 9, 12),
       {"2024-03-10T07:00:00Z", "2024-03-11T06:30:00Z"}},
      {"several skipped fixed times fire once together",
       "America/New_York",
       "*/15 2 * * *",
       utc(2024, 3, 9, 8),
       {"2024-03-10T07:00:00Z", "2024-03-11T06:00:00Z", "2024-03-11T06:15:00Z"}},
      {"a periodic job skips the skipped hour",
       "America/New_York",
       "30 * * * *",
       utc(2024, 3, 10, 6),
       {"2024-03-10T06:30:00Z", "2024-03-10T07:30:00Z", "2024-03-10T08:30:00Z"}},
      {"hourly across the gap",
       "America/New_York",
       "@hourly",
       utc(2024, 3, 10, 5, 30),
       {"2024-03-10T06:00:00Z", "2024-03-10T07:00:00Z", "2024-03-10T08:00:00Z"}},
      // New York, 2024-11-03: 02:00 EDT -> 01:00 EST (06:00 UTC)
      {"a repeated fixed time fires the first time only",
       "America/New_York",
       "30 1 * * *",
       utc(2024, 11, 2, 12),
       {"2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"}},
      {"a periodic job fires in both repeated hours",
       "America/New_York",
       "30 * * * *",
       utc(2024, 11, 3, 5),
       {"2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z", "2024-11-03T07:30:00Z"}},
      {"hourly keeps an hour of elapsed time across the overlap",
       "America/New_York",
       "0 * * * *",
       utc(2024, 11, 3, 4, 30),
       {"2024-11-03T05:00:00Z", "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z", "2024-11-03T08:00:00Z"}},
      {"every minute of a fixed repeated hour, first pass only",
       "America/New_York",
       "58,59 1 * * *",
       utc(2024, 11, 3, 5, 57),
       {"2024-11-03T05:58:00Z", "2024-11-03T05:59:00Z", "2024-11-04T06:58:00Z"}},
      // Berlin, 2024-03-31 02:00 CET -> 03:00 CEST (01:00 UTC); 2024-10-27 03:00 CEST -> 02:00 CET (01:00
      // UTC)
      {"Berlin's skipped 02:00",
       "Europe/Berlin",
       "0 2 * * *",
       utc(2024, 3, 30, 2),
       {"2024-03-31T01:00:00Z", "2024-04-01T00:00:00Z"}},
      {"Berlin's repeated 02:30",
       "Europe/Berlin",
       "30 2 * * *",
       utc(2024, 10, 26, 12),
       {"2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"}},
      // Sydney, 2024-04-07 03:00 AEDT -> 02:00 AEST (16:00 UTC the day before)
      {"southern hemisphere overlap",
       "Australia/Sydney",
       "30 2 * * *",
       utc(2024, 4, 6, 0),
       {"2024-04-06T15:30:00Z", "2024-04-07T16:30:00Z"}},
      // Sydney, 2024-10-06 02:00 AEST -> 03:00 AEDT (16:00 UTC the day before)
      {"southern hemisphere gap",
       "Australia/Sydney",
       "30 2 * * *",
       utc(2024, 10, 5, 0),
       {"2024-10-05T16:00:00Z", "2024-10-06T15:30:00Z"}},
      // Lord Howe, 2024-10-06 02:00 +10:30 -> 02:30 +11 (15:30 UTC the day before)
      {"a half-hour gap",
       "Australia/Lord_Howe",
       "15 2 * * *",
       utc(2024, 10, 5, 0),
       {"2024-10-05T15:30:00Z", "2024-10-06T15:15:00Z"}},
      {"29 February in Berlin",
       "Europe/Berlin",
       "0 0 29 2 *",
       utc(2023, 1, 1),
       {"2024-02-28T23:00:00Z", "2028-02-28T23:00:00Z"}},
      {"quarterly in New York",
       "America/New_York",
       "@quarterly",
       utc(2024, 2, 1),
       {"2024-04-01T04:00:00Z", "2024-07-01T04:00:00Z", "2024-10-01T04:00:00Z", "2025-01-01T05:00:00Z"}},
      {"month ends in Kolkata (+05:30, no DST)",
       "Asia/Kolkata",
       "0 0 31 * *",
       utc(2024, 1, 31),
       {"2024-03-30T18:30:00Z", "2024-05-30T18:30:00Z"}},
      // 2040-03-11 is beyond the file's table: the POSIX rule decides
      {"a gap beyond 2037",
       "America/New_York",
       "30 2 * * *",
       utc(2040, 3, 10, 12),
       {"2040-03-11T07:00:00Z", "2040-03-12T06:30:00Z"}},
      {"an overlap beyond 2037",
       "America/New_York",
       "30 1 * * *",
       utc(2040, 11, 3, 12),
       {"2040-11-04T05:30:00Z", "2040-11-05T06:30:00Z"}},
  };
  for (const auto& c : cases) {
    TimeZone zone = TimeZone::load(c.zone);
    std::vector<std::string> got;
    for (auto fire : next_fires(CronExpression::parse(c.expression), zone, c.after, c.fires.size()))
      got.push_back(format_utc_seconds(fire));
    EXPECT_EQ(got, std::vector<std::string>(c.fires.begin(), c.fires.end())) << c.why;
  }
}

TEST(NextFire, FireInstantsAlwaysIncreaseAndMatchTheirWallTime) {
  // A year of fires of assorted schedules: each later than the one before,
  // each at a matching wall time unless it is the instant of a jump.
  for (const char* name : {"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC"}) {
    TimeZone zone = TimeZone::load(name);
    for (const char* expression : {"*/20 * * * *", "30 2 * * *", "0 1-3 * * 0", "@hourly"}) {
      auto cron = CronExpression::parse(expression);
      auto fires = next_fires(cron, zone, utc(2024, 1, 1), 3000);
      ASSERT_FALSE(fires.empty());
      for (std::size_t i = 0; i < fires.size(); ++i) {
        if (i > 0) ASSERT_LT(fires[i - 1], fires[i]) << name << " " << expression;
        bool at_jump = zone.offset_at(fires[i] - seconds{1}) != zone.offset_at(fires[i]);
        EXPECT_TRUE(cron.matches(zone.to_local(fires[i])) || at_jump)
            << name << " " << expression << " fired at " << format_utc_seconds(fires[i]);
      }
    }
  }
}

TEST(NextFire, IsQuickEnoughForEveryMinuteSchedules) {
  TimeZone zone = TimeZone::load("America/New_York");
  auto cron = CronExpression::parse("* * * * *");
  auto began = steady_clock::now();
  auto fires = next_fires(cron, zone, utc(2024, 11, 3, 4), 1440);
  EXPECT_EQ(fires.size(), 1440U);
  // 1440 fires, every minute of elapsed time, including the repeated hour.
  EXPECT_EQ(fires.back() - fires.front(), minutes{1439});
  EXPECT_LT(steady_clock::now() - began, seconds{2});
}

}  // namespace
}  // namespace soulstone::schedule
