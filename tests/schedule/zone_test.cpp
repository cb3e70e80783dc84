// Time zones from the system's zoneinfo. The C library reads the same
// files, so its localtime_r (with TZ set; this test binary is single
// threaded) is the reference for offsets, also beyond 2037, where only the
// files' POSIX rule says what happens.
#include "schedule/zone.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::schedule {
namespace {

using namespace std::chrono;

sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

local_seconds wall(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return local_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

long libc_offset(const std::string& zone, sys_seconds instant) {
  ::setenv("TZ", zone.c_str(), 1);
  ::tzset();
  std::time_t t = instant.time_since_epoch().count();
  std::tm local{};
  ::localtime_r(&t, &local);
  return local.tm_gmtoff;
}

TEST(TimeZone, OffsetsAgreeWithTheCLibraryFrom1970To2100) {
  const char* zones[] = {"America/New_York",    "Europe/Berlin",    "Europe/Dublin",   "Australia/Sydney",
                         "Australia/Lord_Howe", "Pacific/Chatham",  "Asia/Kolkata",    "America/Santiago",
                         "Africa/Casablanca",   "America/St_Johns", "Pacific/Apia",    "America/Sao_Paulo",
                         "Asia/Tehran",         "Europe/London",    "America/Godthab", "UTC"};
  for (const char* name : zones) {
    TimeZone zone = TimeZone::load(name);
    int checked = 0;
    // Every 6 days and 7 hours: walks through every month and hour of day.
    for (sys_seconds t = utc(1970, 1, 1); t < utc(2100, 1, 1); t += hours{6 * 24 + 7}) {
      long expected = libc_offset(name, t);
      ASSERT_EQ(zone.offset_at(t).count(), expected) << name << " at " << format_utc_seconds(t);
      ++checked;
    }
    EXPECT_GT(checked, 7000);
  }
  ::unsetenv("TZ");
}

TEST(TimeZone, OffsetsAgreeAroundEveryTransitionOfTheRules) {
  // One second before and after each change, 2030-2060 (in and beyond the table).
  for (const char* name : {"America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"}) {
    TimeZone zone = TimeZone::load(name);
    for (sys_seconds t = utc(2030, 1, 1); t < utc(2060, 1, 1); t += minutes{30}) {
      if (zone.offset_at(t) == zone.offset_at(t + minutes{30})) continue;
      for (sys_seconds probe = t; probe <= t + minutes{30}; probe += seconds{1}) {
        if (zone.offset_at(probe).count() != libc_offset(name, probe)) {
          ADD_FAILURE() << name << " differs at " << format_utc_seconds(probe);
          break;
        }
      }
    }
  }
  ::unsetenv("TZ");
}

TEST(TimeZone, ResolvesWallTimesThatOccurOnceNeverOrTwice) {
  TimeZone ny = TimeZone::load("America/New_York");
  auto unique = ny.resolve(wall(2024, 7, 1, 12));
  EXPECT_EQ(unique.kind, TimeZone::Kind::Unique);
  EXPECT_EQ(unique.first, utc(2024, 7, 1, 16));

  // 2024-03-10: 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
  auto gap = ny.resolve(wall(2024, 3, 10, 2, 30));
  EXPECT_EQ(gap.kind, TimeZone::Kind::Gap);
  EXPECT_EQ(gap.first, utc(2024, 3, 10, 7));
  EXPECT_EQ(ny.resolve(wall(2024, 3, 10, 2, 0)).kind, TimeZone::Kind::Gap);
  EXPECT_EQ(ny.resolve(wall(2024, 3, 10, 3, 0)).first, utc(2024, 3, 10, 7));
  EXPECT_EQ(ny.resolve(wall(2024, 3, 10, 1, 59)).first, utc(2024, 3, 10, 6, 59));

  // 2024-11-03: 02:00 EDT falls back to 01:00 EST at 06:00 UTC.
  auto overlap = ny.resolve(wall(2024, 11, 3, 1, 30));
  EXPECT_EQ(overlap.kind, TimeZone::Kind::Overlap);
  EXPECT_EQ(overlap.first, utc(2024, 11, 3, 5, 30));
  EXPECT_EQ(overlap.second, utc(2024, 11, 3, 6, 30));
  EXPECT_EQ(ny.resolve(wall(2024, 11, 3, 2, 0)).kind, TimeZone::Kind::Unique);

  // Lord Howe moves by 30 minutes: 02:00 +10:30 becomes 02:30 +11.
  TimeZone lord_howe = TimeZone::load("Australia/Lord_Howe");
  auto half = lord_howe.resolve(wall(2024, 10, 6, 2, 15));
  EXPECT_EQ(half.kind, TimeZone::Kind::Gap);
  EXPECT_EQ(half.first, utc(2024, 10, 5, 15, 30));

  // Beyond the file's table (2037), the POSIX rule decides.
  auto late = ny.resolve(wall(2050, 3, 13, 2, 30));
  EXPECT_EQ(late.kind, TimeZone::Kind::Gap);
  EXPECT_EQ(late.first, utc(2050, 3, 13, 7));
}

TEST(TimeZone, ToLocalAddsTheOffsetInForce) {
  TimeZone berlin = TimeZone::load("Europe/Berlin");
  EXPECT_EQ(berlin.to_local(utc(2024, 1, 15, 12)), wall(2024, 1, 15, 13));
  EXPECT_EQ(berlin.to_local(utc(2024, 7, 15, 12)), wall(2024, 7, 15, 14));
  EXPECT_EQ(TimeZone::utc().to_local(utc(2024, 7, 15, 12)), wall(2024, 7, 15, 12));
}

struct PosixCase {
  const char* rule;
  sys_seconds at;
  long offset;
};

TEST(TimeZone, ReadsPosixRulesOfEveryForm) {
  const PosixCase cases[] = {
      {"EST5EDT,M3.2.0,M11.1.0", utc(2024, 3, 10, 6, 59), -5 * 3600},
      {"EST5EDT,M3.2.0,M11.1.0", utc(2024, 3, 10, 7, 0), -4 * 3600},
      {"EST5EDT,M3.2.0,M11.1.0", utc(2024, 11, 3, 5, 59), -4 * 3600},
      {"EST5EDT,M3.2.0,M11.1.0", utc(2024, 11, 3, 6, 0), -5 * 3600},
      {"EST5EDT", utc(2024, 7, 1), -4 * 3600},  // no dates: the US rule
      // southern hemisphere: daylight time spans the new year
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2024, 1, 15), 11 * 3600},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2024, 7, 15), 10 * 3600},
      {"AEST-10AEDT,M10.1.0,M4.1.0/3", utc(2024, 12, 15), 11 * 3600},
      // quoted names, minutes, explicit daylight offset
      {"<+0330>-3:30", utc(2024, 7, 1), 3 * 3600 + 1800},
      {"<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", utc(2024, 7, 1), -2 * 3600},  // Nuuk: negative times
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2024, 1, 15), 0},               // Dublin: winter is "DST"
      {"IST-1GMT0,M10.5.0,M3.5.0/1", utc(2024, 7, 15), 3600},
      // Julian days: J60 is 1 March even in leap years; 59 (zero-based) is 29 February then
      {"XXX0YYY,J60/0,J300/0", utc(2024, 2, 29, 12), 0},
      {"XXX0YYY,J60/0,J300/0", utc(2024, 3, 1, 12), 3600},
      {"XXX0YYY,59/0,300/0", utc(2024, 2, 29, 12), 3600},
      {"XXX0YYY,59/0,300/0", utc(2023, 2, 28, 12), 0},
      // daylight time all year (a rule that never really changes)
      {"EST5EDT,0/0,J365/25", utc(2024, 6, 1), -4 * 3600},
      {"EST5EDT,0/0,J365/25", utc(2024, 1, 1, 4, 30), -4 * 3600},
  };
  for (const auto& c : cases) {
    TimeZone zone = TimeZone::from_posix("test", c.rule);
    EXPECT_EQ(zone.offset_at(c.at).count(), c.offset) << c.rule << " at " << format_utc_seconds(c.at);
  }
}

TEST(TimeZone, RefusesUnknownNamesAndBrokenFiles) {
  for (const char* name : {"Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/../../etc/passwd",
                           "", "Europe/Berlin\n"}) {
    try {
      (void)TimeZone::load(name);
      ADD_FAILURE() << "accepted " << name;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Input);
      EXPECT_NE(std::string(error.what()).find("unknown time zone"), std::string::npos) << error.what();
    }
  }
  EXPECT_THROW((void)TimeZone::from_tzif("x", "not a zone file at all, but long enough to have a header.."),
               Error);
  // A real file cut short.
  std::ifstream in("/usr/share/zoneinfo/Europe/Berlin", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 200U);
  try {
    (void)TimeZone::from_tzif("Europe/Berlin", bytes.substr(0, 200));
    ADD_FAILURE() << "accepted a truncated file";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("truncated"), std::string::npos) << error.what();
  }
  EXPECT_THROW((void)TimeZone::from_posix("x", "EST5EDT,M3.2.0"), Error);
  EXPECT_THROW((void)TimeZone::from_posix("x", "E5"), Error);
}

TEST(TimeZone, ReadsZonesFromTzdir) {
  TempDir dir("soulstone-tz");
  std::ifstream in("/usr/share/zoneinfo/Asia/Tokyo", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(dir.path() / "Home", std::ios::binary) << bytes;
  ::setenv("TZDIR", dir.path().c_str(), 1);
  TimeZone home = TimeZone::load("Home");
  ::unsetenv("TZDIR");
  EXPECT_EQ(home.offset_at(utc(2024, 1, 1)), hours{9});
  EXPECT_EQ(home.name(), "Home");
}

}  // namespace
}  // namespace soulstone::schedule
