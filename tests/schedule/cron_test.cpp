// Cron expressions: what parses, what is refused and why, and which wall
// clock minutes match. Expected times are worked out by hand from a
// calendar (weekdays checked against `cal`).
#include "schedule/cron.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::schedule {
namespace {

using namespace std::chrono;

local_seconds wall(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return local_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

std::string next_text(const std::string& expression, local_seconds from) {
  auto next = CronExpression::parse(expression).next_match(from, from + years{12});
  return next ? format_local_minutes(*next) : "never";
}

struct NextCase {
  const char* expression;
  local_seconds from;
  const char* expected;
};

TEST(Cron, NextMatchFollowsEveryFieldRule) {
  const NextCase cases[] = {
      // plain times, rounding up to the next whole minute
      {"0 2 * * *", wall(2024, 1, 1, 1, 59), "2024-01-01 02:00"},
      {"0 2 * * *", wall(2024, 1, 1, 2, 0), "2024-01-01 02:00"},
      {"0 2 * * *", wall(2024, 1, 1, 2, 0) + seconds{1}, "2024-01-02 02:00"},
      {"0 2 * * *", wall(2024, 12, 31, 3), "2025-01-01 02:00"},
      // steps: */N, A-B/N, N/STEP (= N-MAX/STEP)
      {"*/15 * * * *", wall(2024, 1, 1, 10, 16), "2024-01-01 10:30"},
      {"*/15 * * * *", wall(2024, 1, 1, 10, 46), "2024-01-01 11:00"},
      {"5/20 * * * *", wall(2024, 1, 1, 10, 26), "2024-01-01 10:45"},
      {"5/20 * * * *", wall(2024, 1, 1, 10, 46), "2024-01-01 11:05"},
      {"10-30/10 9 * * *", wall(2024, 1, 1, 9, 31), "2024-01-02 09:10"},
      {"0 */7 * * *", wall(2024, 1, 1, 21, 1), "2024-01-02 00:00"},  // 0,7,14,21
      {"0 0 1 */3 *", wall(2024, 2, 1), "2024-04-01 00:00"},
      // lists and names
      {"0 12 * jan,JUL *", wall(2024, 2, 1), "2024-07-01 12:00"},
      {"0 9 * * mon-fri", wall(2024, 3, 9), "2024-03-11 09:00"},   // Saturday -> Monday
      {"0 9 * * fri-sun", wall(2024, 3, 11), "2024-03-15 09:00"},  // Sunday ends the range
      {"0 9 * * 7", wall(2024, 3, 11), "2024-03-17 09:00"},        // 7 is Sunday
      {"0 9 * * 0", wall(2024, 3, 11), "2024-03-17 09:00"},
      {"0 9 1,15 * *", wall(2024, 3, 2), "2024-03-15 09:00"},
      // both day fields restricted: either may match (13th or a Friday)
      {"0 0 13 * 5", wall(2024, 9, 7), "2024-09-13 00:00"},    // the 13th is a Friday
      {"0 0 13 * 5", wall(2024, 9, 14), "2024-09-20 00:00"},   // next Friday
      {"0 0 13 * 5", wall(2024, 10, 12), "2024-10-13 00:00"},  // Sunday the 13th
      // a day field starting with * makes it AND: odd days that are Mondays
      {"0 0 */2 * 1", wall(2024, 3, 2), "2024-03-11 00:00"},
      // month ends
      {"0 0 31 * *", wall(2024, 1, 31, 0, 1), "2024-03-31 00:00"},
      {"0 0 30 * *", wall(2024, 1, 31), "2024-03-30 00:00"},
      {"59 23 28-31 * *", wall(2024, 2, 28, 23, 59) + seconds{1}, "2024-02-29 23:59"},
      {"59 23 28-31 * *", wall(2023, 2, 28, 23, 59) + seconds{1}, "2023-03-28 23:59"},
      // 29 February: leap years only, and 2100 is not one
      {"0 0 29 2 *", wall(2023, 3, 1), "2024-02-29 00:00"},
      {"0 0 29 2 *", wall(2024, 2, 29, 0, 1), "2028-02-29 00:00"},
      {"0 0 29 2 *", wall(2096, 3, 1), "2104-02-29 00:00"},
      // shorthands
      {"@hourly", wall(2024, 1, 1, 10, 1), "2024-01-01 11:00"},
      {"@daily", wall(2024, 1, 1, 10), "2024-01-02 00:00"},
      {"@midnight", wall(2024, 1, 1, 10), "2024-01-02 00:00"},
      {"@weekly", wall(2024, 3, 11), "2024-03-17 00:00"},
      {"@monthly", wall(2024, 1, 31), "2024-02-01 00:00"},
      {"@quarterly", wall(2024, 4, 1, 0, 1), "2024-07-01 00:00"},
      {"@QUARTERLY", wall(2024, 11, 2), "2025-01-01 00:00"},
      {"@yearly", wall(2024, 1, 1, 0, 1), "2025-01-01 00:00"},
      {"@annually", wall(2024, 6, 1), "2025-01-01 00:00"},
      // spacing is free
      {"  0   2\t* *  * ", wall(2024, 1, 1), "2024-01-01 02:00"},
  };
  for (const auto& c : cases)
    EXPECT_EQ(next_text(c.expression, c.from), c.expected)
        << c.expression << " from " << format_local_minutes(c.from);
}

TEST(Cron, NextMatchStopsAtTheLimit) {
  auto cron = CronExpression::parse("0 0 29 2 *");
  EXPECT_FALSE(cron.next_match(wall(2097, 1, 1), wall(2103, 12, 31)).has_value());
}

TEST(Cron, MatchesChecksEveryField) {
  auto cron = CronExpression::parse("30 2 * 3 sun");
  EXPECT_TRUE(cron.matches(wall(2024, 3, 10, 2, 30)));
  EXPECT_TRUE(cron.matches(wall(2024, 3, 10, 2, 30) + seconds{59}));  // the whole minute
  EXPECT_FALSE(cron.matches(wall(2024, 3, 10, 2, 31)));
  EXPECT_FALSE(cron.matches(wall(2024, 3, 9, 2, 30)));  // Saturday
  EXPECT_FALSE(cron.matches(wall(2024, 4, 7, 2, 30)));  // April
}

TEST(Cron, HourFieldDecidesWhetherTheJobIsPeriodic) {
  EXPECT_TRUE(CronExpression::parse("0 * * * *").periodic_hours());
  EXPECT_TRUE(CronExpression::parse("*/5 */2 * * *").periodic_hours());
  EXPECT_TRUE(CronExpression::parse("@hourly").periodic_hours());
  EXPECT_FALSE(CronExpression::parse("0 2 * * *").periodic_hours());
  EXPECT_FALSE(CronExpression::parse("0 0-23 * * *").periodic_hours());
  EXPECT_FALSE(CronExpression::parse("@daily").periodic_hours());
}

struct BadCase {
  const char* expression;
  const char* message;  // a part of the error message
};

TEST(Cron, RefusesWhatCannotBeMeantAndSaysWhy) {
  const BadCase cases[] = {
      {"", "has 0 fields, not 5"},
      {"0 2 * *", "has 4 fields, not 5"},
      {"0 0 2 * * *", "has 6 fields, not 5"},
      {"60 * * * *", "minute field '60' has 60, out of range 0-59"},
      {"0 24 * * *", "hour field '24' has 24, out of range 0-23"},
      {"0 0 0 * *", "day-of-month field '0' has 0, out of range 1-31"},
      {"0 0 32 * *", "day-of-month field '32' has 32, out of range 1-31"},
      {"0 0 * 13 *", "month field '13' has 13, out of range 1-12"},
      {"0 0 * * 8", "day-of-week field '8' has 8, out of range 0-7"},
      {"0 0 * foo *", "month field 'foo' has 'foo', which is neither a number nor a month name"},
      {"0 0 * * monday", "has 'monday', which is neither"},
      {"0 0 * jan-mar-may *", "has 'mar-may', which is neither"},
      {"0 5-2 * * *", "hour field '5-2' has the range 5-2, which runs backwards"},
      {"*/0 * * * *", "has a step of 0"},
      {"*/61 * * * *", "has a step of 61; steps run from 1 to 60"},
      {"*/x * * * *", "has a step 'x' that is not a positive number"},
      {"*/ * * * *", "has a step '' that is not a positive number"},
      {"1,,2 * * * *", "has an empty list item"},
      {"1, * * * *", "has an empty list item"},
      {"-5 * * * *", "has a missing number"},
      {"99999 * * * *", "out of range 0-59"},
      {"@reboot", "unknown shorthand @reboot"},
      {"@every 5m", "has 2 fields, not 5"},
      {"0 0 30 2 *", "never fires"},
      {"0 0 31 4,6,9,11 *", "never fires"},
  };
  for (const auto& c : cases) {
    try {
      (void)CronExpression::parse(c.expression);
      ADD_FAILURE() << "accepted '" << c.expression << "'";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Input) << c.expression;
      EXPECT_NE(std::string(error.what()).find(c.message), std::string::npos)
          << c.expression << ": " << error.what();
      EXPECT_FALSE(error.hint().empty()) << c.expression;
    }
  }
}

TEST(Cron, AcceptsPossibleDaysEvenWhenSomeMonthsLackThem) {
  EXPECT_NO_THROW((void)CronExpression::parse("0 0 31 2,3 *"));
  EXPECT_NO_THROW((void)CronExpression::parse("0 0 29 2 *"));
  EXPECT_NO_THROW((void)CronExpression::parse("0 0 30 2 1"));  // or any Monday in February
}

}  // namespace
}  // namespace soulstone::schedule
