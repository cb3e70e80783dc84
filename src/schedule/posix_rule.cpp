#include "schedule/posix_rule.hpp"

#include <algorithm>
#include <cctype>

namespace soulstone::schedule::detail {

namespace {

using namespace std::chrono;

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  [[nodiscard]] bool done() const { return pos_ == text_.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : text_[pos_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  // A zone abbreviation: three or more letters, or anything between < and >.
  bool name() {
    if (accept('<')) {
      std::size_t close = text_.find('>', pos_);
      if (close == std::string_view::npos || close - pos_ < 3) return false;
      pos_ = close + 1;
      return true;
    }
    std::size_t start = pos_;
    while (std::isalpha(static_cast<unsigned char>(peek())))
      ++pos_;
    return pos_ - start >= 3;
  }

  std::optional<int> number(int max_digits) {
    int value = 0;
    int digits = 0;
    while (std::isdigit(static_cast<unsigned char>(peek())) && digits < max_digits) {
      value = value * 10 + (text_[pos_++] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

  // [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 allows that in rule times).
  std::optional<seconds> clock_time() {
    int sign = 1;
    if (accept('-'))
      sign = -1;
    else
      accept('+');
    auto h = number(3);
    if (!h || *h > 167) return std::nullopt;
    seconds total = hours{*h};
    if (accept(':')) {
      auto m = number(2);
      if (!m || *m > 59) return std::nullopt;
      total += minutes{*m};
      if (accept(':')) {
        auto s = number(2);
        if (!s || *s > 59) return std::nullopt;
        total += seconds{*s};
      }
    }
    return sign * total;
  }

  std::optional<RuleDate> date() {
    RuleDate date;
    if (accept('J')) {
      auto n = number(3);
      if (!n || *n < 1 || *n > 365) return std::nullopt;
      date.kind = RuleDate::Kind::Julian1;
      date.day = *n;
    } else if (accept('M')) {
      auto m = number(2);
      if (!m || *m < 1 || *m > 12 || !accept('.')) return std::nullopt;
      auto w = number(1);
      if (!w || *w < 1 || *w > 5 || !accept('.')) return std::nullopt;
      auto d = number(1);
      if (!d || *d > 6) return std::nullopt;
      date.kind = RuleDate::Kind::MonthWeekDay;
      date.month = *m;
      date.week = *w;
      date.weekday = *d;
    } else {
      auto n = number(3);
      if (!n || *n > 365) return std::nullopt;
      date.kind = RuleDate::Kind::Julian0;
      date.day = *n;
    }
    return date;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

sys_days date_in(year y, const RuleDate& date) {
  sys_days jan1{y / January / 1};
  switch (date.kind) {
    case RuleDate::Kind::Julian1:
      // J60 is 1 March in every year: February 29 is never counted.
      return jan1 + days{date.day - 1 + (y.is_leap() && date.day >= 60 ? 1 : 0)};
    case RuleDate::Kind::Julian0:
      return jan1 + days{date.day};
    case RuleDate::Kind::MonthWeekDay: {
      month m{static_cast<unsigned>(date.month)};
      sys_days first{y / m / 1};
      unsigned shift = (static_cast<unsigned>(date.weekday) + 7 - weekday{first}.c_encoding()) % 7;
      sys_days day = first + days{shift} + weeks{date.week - 1};
      sys_days last{y / m / std::chrono::last};
      while (day > last)
        day -= weeks{1};
      return day;
    }
  }
  return jan1;
}

}  // namespace

sys_seconds PosixRule::start_of_dst(year y) const {
  // The start time is written in standard time, the end time in daylight time.
  return sys_seconds{date_in(y, start)} + start_time - std_offset;
}

sys_seconds PosixRule::end_of_dst(year y) const {
  return sys_seconds{date_in(y, end)} + end_time - dst_offset;
}

seconds PosixRule::offset_at(sys_seconds instant) const {
  if (!has_dst) return std_offset;
  year y = year_month_day{floor<days>(instant + std_offset)}.year();
  sys_seconds begins = start_of_dst(y);
  sys_seconds ends = end_of_dst(y);
  bool daylight = begins < ends ? (begins <= instant && instant < ends)    // northern hemisphere
                                : !(ends <= instant && instant < begins);  // southern: DST spans new year
  return daylight ? dst_offset : std_offset;
}

std::vector<sys_seconds> PosixRule::transitions(sys_seconds from, sys_seconds to) const {
  std::vector<sys_seconds> out;
  if (!has_dst) return out;
  year first = year_month_day{floor<days>(from)}.year() - years{1};
  year last = year_month_day{floor<days>(to)}.year() + years{1};
  for (year y = first; y <= last; ++y) {
    for (sys_seconds t : {start_of_dst(y), end_of_dst(y)}) {
      // A rule that keeps daylight time all year (J365/25) has no real change.
      if (t >= from && t <= to && offset_at(t - seconds{1}) != offset_at(t)) out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<PosixRule> parse_posix_rule(std::string_view text) {
  Reader in(text);
  PosixRule rule;
  if (!in.name()) return std::nullopt;
  auto std_offset = in.clock_time();
  if (!std_offset) return std::nullopt;
  rule.std_offset = -*std_offset;
  if (in.done()) return rule;
  if (!in.name()) return std::nullopt;
  rule.has_dst = true;
  rule.dst_offset = rule.std_offset + hours{1};
  if (!in.done() && in.peek() != ',') {
    auto dst_offset = in.clock_time();
    if (!dst_offset) return std::nullopt;
    rule.dst_offset = -*dst_offset;
  }
  if (in.done()) {
    // No dates: POSIX leaves them to the implementation; glibc uses the US rule.
    rule.start = {.kind = RuleDate::Kind::MonthWeekDay, .month = 3, .week = 2, .weekday = 0};
    rule.end = {.kind = RuleDate::Kind::MonthWeekDay, .month = 11, .week = 1, .weekday = 0};
    return rule;
  }
  for (auto [date, time] : {std::pair{&rule.start, &rule.start_time}, std::pair{&rule.end, &rule.end_time}}) {
    if (!in.accept(',')) return std::nullopt;
    auto parsed = in.date();
    if (!parsed) return std::nullopt;
    *date = *parsed;
    if (in.accept('/')) {
      auto at = in.clock_time();
      if (!at) return std::nullopt;
      *time = *at;
    }
  }
  if (!in.done()) return std::nullopt;
  return rule;
}

}  // namespace soulstone::schedule::detail
