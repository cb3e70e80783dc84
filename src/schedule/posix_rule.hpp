#pragma once
// Private to the schedule module: POSIX TZ rules such as
// "CET-1CEST,M3.5.0,M10.5.0/3", the footer of a TZif file that says how the
// zone behaves after its last listed transition (RFC 8536, section 3.3).

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace soulstone::schedule::detail {

struct RuleDate {
  enum class Kind { Julian1, Julian0, MonthWeekDay };  // Jn, n, Mm.w.d
  Kind kind = Kind::MonthWeekDay;
  int day = 0;  // Jn: 1..365 (never Feb 29); n: 0..365
  int month = 0;
  int week = 0;     // 1..5, 5 = last
  int weekday = 0;  // 0 = Sunday
};

struct PosixRule {
  std::chrono::seconds std_offset{0};  // local = UTC + offset (POSIX writes the opposite sign)
  bool has_dst = false;
  std::chrono::seconds dst_offset{0};
  RuleDate start, end;
  std::chrono::seconds start_time{7200};  // local time of day, may be negative or past 24h
  std::chrono::seconds end_time{7200};

  [[nodiscard]] std::chrono::seconds offset_at(std::chrono::sys_seconds instant) const;
  // The instants at which daylight time starts and ends in `year`.
  [[nodiscard]] std::chrono::sys_seconds start_of_dst(std::chrono::year year) const;
  [[nodiscard]] std::chrono::sys_seconds end_of_dst(std::chrono::year year) const;
  // Every change of offset in [from, to], ascending.
  [[nodiscard]] std::vector<std::chrono::sys_seconds> transitions(std::chrono::sys_seconds from,
                                                                  std::chrono::sys_seconds to) const;
};

// nullopt when the text is not a rule this parser understands.
[[nodiscard]] std::optional<PosixRule> parse_posix_rule(std::string_view text);

}  // namespace soulstone::schedule::detail
