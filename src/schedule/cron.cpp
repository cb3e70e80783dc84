#include "schedule/cron.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "base/error.hpp"

namespace soulstone::schedule {

using namespace std::chrono;

namespace {

constexpr const char* kHint =
    "five fields: minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\" for 02:00 every day; "
    "or one of @hourly @daily @weekly @monthly @quarterly @yearly";

struct FieldSpec {
  const char* name;
  int min;
  int max;
  std::array<const char*, 12> names;  // names[i] is value min+i; empty when the field has none
};

constexpr FieldSpec kMinute{"minute", 0, 59, {}};
constexpr FieldSpec kHour{"hour", 0, 23, {}};
constexpr FieldSpec kDay{"day-of-month", 1, 31, {}};
constexpr FieldSpec kMonth{
    "month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
// 7 is Sunday too, as in every cron; names map to 0..6.
constexpr FieldSpec kWeekday{"day-of-week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class FieldParser {
 public:
  FieldParser(std::string_view expression, const FieldSpec& spec, std::string_view field)
      : expression_(expression), spec_(spec), field_(field) {}

  std::uint64_t parse() {
    if (field_.empty()) fail("is empty");
    std::uint64_t bits = 0;
    std::size_t start = 0;
    while (true) {
      std::size_t comma = field_.find(',', start);
      std::string_view item = field_.substr(start, comma == std::string_view::npos ? comma : comma - start);
      if (item.empty()) fail("has an empty list item");
      bits |= parse_item(item);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return bits;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(ErrorKind::Input,
                "cron expression '" + std::string(expression_) + "': " + spec_.name + " field '" +
                    std::string(field_) + "' " + problem,
                kHint);
  }

  int value(std::string_view text) const {
    if (text.empty()) fail("has a missing number");
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      if (text.size() > 4) fail("has a number out of range " + range_text());
      int number = std::stoi(std::string(text));
      if (number < spec_.min || number > spec_.max)
        fail("has " + std::string(text) + ", out of range " + range_text());
      return number;
    }
    std::string name = lower(text);
    for (std::size_t i = 0; i < spec_.names.size(); ++i)
      if (spec_.names[i] != nullptr && name == spec_.names[i]) return spec_.min + static_cast<int>(i);
    fail("has '" + std::string(text) + "', which is neither a number nor a " + spec_.name + " name");
  }

  std::string range_text() const { return std::to_string(spec_.min) + "-" + std::to_string(spec_.max); }

  std::uint64_t parse_item(std::string_view item) {
    int step = 1;
    bool stepped = false;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      std::string_view step_text = item.substr(slash + 1);
      if (step_text.empty() || step_text.size() > 3 ||
          !std::all_of(step_text.begin(), step_text.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        fail("has a step '" + std::string(step_text) + "' that is not a positive number");
      step = std::stoi(std::string(step_text));
      int span = (spec_.max == 7 ? 6 : spec_.max) - spec_.min + 1;
      if (step < 1 || step > span)
        fail("has a step of " + std::to_string(step) + "; steps run from 1 to " + std::to_string(span));
      stepped = true;
      item = item.substr(0, slash);
    }
    int low = 0;
    int high = 0;
    if (item == "*") {
      low = spec_.min;
      high = spec_.max == 7 ? 6 : spec_.max;
    } else if (std::size_t dash = item.find('-'); dash != std::string_view::npos) {
      low = value(item.substr(0, dash));
      high = value(item.substr(dash + 1));
      // `fri-sun` reads naturally as Friday to Sunday: Sunday is 7 at the end of a range.
      if (spec_.max == 7 && high == 0 && low > 0) high = 7;
      if (high < low)
        fail("has the range " + std::string(item) + ", which runs backwards (ranges do not wrap around)");
    } else {
      low = value(item);
      high = stepped ? spec_.max : low;
    }
    std::uint64_t bits = 0;
    for (int v = low; v <= high; v += step)
      bits |= std::uint64_t{1} << (spec_.max == 7 && v == 7 ? 0 : v);
    return bits;
  }

  std::string_view expression_;
  const FieldSpec& spec_;
  std::string_view field_;
};

std::string_view shorthand(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> table{{
      {"@yearly", "0 0 1 1 *"},
      {"@annually", "0 0 1 1 *"},
      {"@quarterly", "0 0 1 1,4,7,10 *"},
      {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},
      {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"},
  }};
  for (const auto& [key, expansion] : table)
    if (key == name) return expansion;
  return {};
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
      ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

template <std::size_t N>
std::bitset<N> to_bits(std::uint64_t mask) {
  std::bitset<N> bits;
  for (std::size_t i = 0; i < N; ++i)
    bits[i] = ((mask >> i) & 1U) != 0;
  return bits;
}

constexpr std::array<unsigned, 13> kLongestMonth{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression cron;
  cron.text_ = std::string(text);
  std::vector<std::string_view> fields = split_fields(text);
  std::string expansion;
  if (fields.size() == 1 && fields[0].front() == '@') {
    std::string_view expanded = shorthand(lower(fields[0]));
    if (expanded.empty())
      throw Error(ErrorKind::Input,
                  "cron expression '" + cron.text_ + "': unknown shorthand " + std::string(fields[0]),
                  "use @hourly, @daily (@midnight), @weekly, @monthly, @quarterly or @yearly (@annually)");
    expansion = std::string(expanded);
    fields = split_fields(expansion);
  }
  if (fields.size() != 5) {
    std::string hint = fields.size() == 6 ? "a seconds field is not supported; " : "";
    throw Error(
        ErrorKind::Input,
        "cron expression '" + cron.text_ + "' has " + std::to_string(fields.size()) + " fields, not 5",
        hint + kHint);
  }
  cron.minutes_ = to_bits<60>(FieldParser(text, kMinute, fields[0]).parse());
  cron.hours_ = to_bits<24>(FieldParser(text, kHour, fields[1]).parse());
  cron.days_ = to_bits<32>(FieldParser(text, kDay, fields[2]).parse());
  cron.months_ = to_bits<13>(FieldParser(text, kMonth, fields[3]).parse());
  cron.weekdays_ = to_bits<7>(FieldParser(text, kWeekday, fields[4]).parse());
  cron.days_star_ = fields[2].front() == '*';
  cron.weekdays_star_ = fields[4].front() == '*';
  cron.periodic_hours_ = fields[1] == "*" || fields[1].substr(0, 2) == "*/";

  // Only a day-of-month list alone can be impossible (30 February): with a
  // restricted day-of-week field too, any week day occurs in every month.
  if (cron.weekdays_star_) {
    bool possible = false;
    for (unsigned month = 1; month <= 12 && !possible; ++month)
      for (unsigned day = 1; day <= kLongestMonth[month] && !possible; ++day)
        possible = cron.months_[month] && cron.days_[day];
    if (!possible)
      throw Error(ErrorKind::Input,
                  "cron expression '" + cron.text_ + "' never fires: none of its days exists in its months",
                  "29 February fires in leap years only; 30 and 31 do not exist in every month");
  }
  return cron;
}

bool CronExpression::day_matches(year_month_day date) const {
  bool by_day = days_[static_cast<unsigned>(date.day())];
  bool by_weekday = weekdays_[weekday{local_days{date}}.c_encoding()];
  if (!days_star_ && !weekdays_star_) return by_day || by_weekday;
  return by_day && by_weekday;
}

bool CronExpression::matches(local_seconds local) const {
  local_days day = floor<days>(local);
  year_month_day date{day};
  hh_mm_ss<seconds> time{local - day};
  return months_[static_cast<unsigned>(date.month())] && day_matches(date) &&
         hours_[static_cast<std::size_t>(time.hours().count())] &&
         minutes_[static_cast<std::size_t>(time.minutes().count())];
}

std::optional<local_seconds> CronExpression::next_match(local_seconds from, local_seconds until) const {
  local_seconds t = ceil<minutes>(from);
  while (t <= until) {
    local_days day = floor<days>(t);
    year_month_day date{day};
    if (!months_[static_cast<unsigned>(date.month())]) {
      year_month next = year_month{date.year(), date.month()} + months{1};
      t = local_days{next / 1};
      continue;
    }
    if (!day_matches(date)) {
      t = day + days{1};
      continue;
    }
    hh_mm_ss<seconds> time{t - day};
    auto hour = static_cast<std::size_t>(time.hours().count());
    auto minute = static_cast<std::size_t>(time.minutes().count());
    if (!hours_[hour]) {
      std::size_t next = hour + 1;
      while (next < 24 && !hours_[next])
        ++next;
      t = next < 24 ? day + hours(static_cast<long>(next)) : day + days{1};
      continue;
    }
    if (!minutes_[minute]) {
      std::size_t next = minute + 1;
      while (next < 60 && !minutes_[next])
        ++next;
      t = next < 60 ? day + hours(static_cast<long>(hour)) + minutes(static_cast<long>(next))
                    : day + hours(static_cast<long>(hour) + 1);
      continue;
    }
    return t;
  }
  return std::nullopt;
}

}  // namespace soulstone::schedule
