#pragma once
// Cron expressions: the five fields of Vixie cron (minute, hour, day of
// month, month, day of week) and the @-shorthands, matched against local
// wall-clock minutes. Pure: no clock, no zone (next_fire.hpp adds those).
//
// Syntax (docs/formats/agent-config.md, "Schedules"):
// * each field is a comma list of `*`, `N`, `A-B`, each optionally `/STEP`;
//   `N/STEP` means `N-MAX/STEP` (an extension; Vixie cron rejects it);
// * months `jan`..`dec` and days `sun`..`sat` by name (any case), also in
//   ranges; day of week 0 and 7 are both Sunday;
// * when both day fields are restricted (neither starts with `*`), a day
//   matches when either matches, as in Vixie cron; otherwise both must;
// * @yearly (@annually), @quarterly, @monthly, @weekly, @daily (@midnight),
//   @hourly.
// An expression that can never fire (`0 0 30 2 *`) is rejected when parsed.

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace soulstone::schedule {

class CronExpression {
 public:
  // Throws Error(Input) naming the field, the offending text and the rule.
  [[nodiscard]] static CronExpression parse(std::string_view text);

  // Whether the wall-clock minute containing `local` matches.
  [[nodiscard]] bool matches(std::chrono::local_seconds local) const;

  // The first matching wall-clock minute at or after `from` (rounded up to a
  // whole minute), looking no further than `until`; nullopt when none.
  [[nodiscard]] std::optional<std::chrono::local_seconds> next_match(std::chrono::local_seconds from,
                                                                     std::chrono::local_seconds until) const;

  // True when the hour field is `*` or `*/N`: the job follows the clock
  // every hour (or every N hours) rather than running at fixed times of day.
  // The DST rule of next_fire() depends on it.
  [[nodiscard]] bool periodic_hours() const noexcept { return periodic_hours_; }

  // The text as written (shorthands are kept as written).
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

 private:
  [[nodiscard]] bool day_matches(std::chrono::year_month_day date) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1..31
  std::bitset<13> months_;   // 1..12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool days_star_ = false;   // the day-of-month field starts with '*'
  bool weekdays_star_ = false;
  bool periodic_hours_ = false;
};

}  // namespace soulstone::schedule
