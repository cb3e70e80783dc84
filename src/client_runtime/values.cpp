#include "client_runtime/values.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "base/error.hpp"

namespace soulstone::client {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The parts of a finite decimal: sign, integer digits without leading
// zeros, fraction digits without trailing zeros.
struct DecimalParts {
  bool negative = false;
  std::string_view integer;
  std::string_view fraction;
};

DecimalParts parts_of(std::string_view text) noexcept {
  DecimalParts parts;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    parts.negative = text[0] == '-';
    text.remove_prefix(1);
  }
  std::size_t dot = text.find('.');
  parts.integer = text.substr(0, dot);
  parts.fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  while (!parts.integer.empty() && parts.integer.front() == '0')
    parts.integer.remove_prefix(1);
  while (!parts.fraction.empty() && parts.fraction.back() == '0')
    parts.fraction.remove_suffix(1);
  if (parts.integer.empty() && parts.fraction.empty()) parts.negative = false;  // -0 is 0
  return parts;
}

int compare_magnitude(const DecimalParts& a, const DecimalParts& b) noexcept {
  if (a.integer.size() != b.integer.size()) return a.integer.size() < b.integer.size() ? -1 : 1;
  if (int c = a.integer.compare(b.integer); c != 0) return c < 0 ? -1 : 1;
  if (int c = a.fraction.compare(b.fraction); c != 0) return c < 0 ? -1 : 1;
  return 0;
}

bool valid_decimal(std::string_view text) noexcept {
  if (text == "NaN") return true;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  std::size_t digits = 0;
  bool dot = false;
  for (char c : text) {
    if (is_digit(c)) {
      ++digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}

// Reads exactly `count` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& out) noexcept {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

// HH:MM:SS[.ffffff] at `pos`, as a duration since midnight.
bool read_time(std::string_view text, std::size_t& pos, std::chrono::microseconds& out) noexcept {
  int hours = 0, minutes = 0, seconds = 0;
  if (!read_digits(text, pos, 2, hours) || pos >= text.size() || text[pos++] != ':' ||
      !read_digits(text, pos, 2, minutes) || pos >= text.size() || text[pos++] != ':' ||
      !read_digits(text, pos, 2, seconds))
    return false;
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100000;
    std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) {
      micros += (text[pos] - '0') * scale;  // digits past the sixth are dropped (PostgreSQL keeps six)
      scale /= 10;
      ++pos;
    }
    if (pos == start) return false;
  }
  out = std::chrono::hours(hours) + std::chrono::minutes(minutes) + std::chrono::seconds(seconds) +
        std::chrono::microseconds(micros);
  return true;
}

// [Z | ±HH[:MM[:SS]] | ±HHMM] at `pos`; the offset east of UTC.
bool read_offset(std::string_view text, std::size_t& pos, std::chrono::seconds& out) noexcept {
  out = std::chrono::seconds(0);
  if (pos == text.size()) return true;
  if (text[pos] == 'Z') return ++pos == text.size();
  if (text[pos] != '+' && text[pos] != '-') return false;
  int sign = text[pos++] == '-' ? -1 : 1;
  int hours = 0, minutes = 0, seconds = 0;
  if (!read_digits(text, pos, 2, hours)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !read_digits(text, pos, 2, minutes)) return false;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !read_digits(text, pos, 2, seconds)) return false;
  out = sign * (std::chrono::hours(hours) + std::chrono::minutes(minutes) + std::chrono::seconds(seconds));
  return pos == text.size();
}

template <class Int>
void decode_integer(std::string_view text, Int& out, std::string_view type) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  if (ec != std::errc() || ptr != end) throw_bad_value(type, text);
}

}  // namespace

// --------------------------------------------------------------- Decimal

Decimal::Decimal(std::string_view text) {
  if (!valid_decimal(text)) throw std::invalid_argument("not a decimal number: '" + std::string(text) + "'");
  text_ = std::string(text);
}

Decimal::Decimal(std::int64_t value) : text_(std::to_string(value)) {}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  if (!valid_decimal(text)) return std::nullopt;
  return Decimal(text);
}

int Decimal::compare(const Decimal& other) const noexcept {
  bool nan_a = is_nan(), nan_b = other.is_nan();
  if (nan_a || nan_b) return nan_a == nan_b ? 0 : (nan_a ? 1 : -1);
  DecimalParts a = parts_of(text_), b = parts_of(other.text_);
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = compare_magnitude(a, b);
  return a.negative ? -magnitude : magnitude;
}

// -------------------------------------------------------------- DateTime

DateTime now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

std::string to_iso8601(DateTime value) {
  using namespace std::chrono;
  auto day = floor<days>(value);
  year_month_day date(day);
  hh_mm_ss<microseconds> time(value - day);
  char text[40];
  std::snprintf(
      text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<int>(date.year()),
      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
      static_cast<long long>(time.hours().count()), static_cast<long long>(time.minutes().count()),
      static_cast<long long>(time.seconds().count()), static_cast<long long>(time.subseconds().count()));
  return text;
}

std::optional<DateTime> parse_datetime(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  sys_days day{};
  microseconds time_of_day{0};
  seconds offset{0};
  if (text.size() >= 3 && text[2] == ':') {  // a time of day alone (@db.Time, @db.Timetz)
    if (!read_time(text, pos, time_of_day) || !read_offset(text, pos, offset)) return std::nullopt;
  } else {
    int y = 0, m = 0, d = 0;
    if (!read_digits(text, pos, 4, y) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, m) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, d))
      return std::nullopt;
    year_month_day date{year(y), month(static_cast<unsigned>(m)), std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok()) return std::nullopt;
    day = sys_days(date);
    if (pos < text.size()) {
      if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
      ++pos;
      if (!read_time(text, pos, time_of_day) || !read_offset(text, pos, offset)) return std::nullopt;
    }
  }
  return DateTime(day) + time_of_day - offset;
}

// ---------------------------------------------------------------- encode

std::string encode(bool value) { return value ? "true" : "false"; }
std::string encode(std::int32_t value) { return std::to_string(value); }
std::string encode(std::int64_t value) { return std::to_string(value); }

std::string encode(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[32];
  auto result = std::to_chars(text, text + sizeof text, value);  // shortest text that reads back exactly
  return std::string(text, result.ptr);
}

std::string encode(DateTime value) {
  std::string text = to_iso8601(value);
  text[10] = ' ';
  text.back() = '+';
  return text + "00";
}

std::string encode(const Bytes& value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + value.size() * 2);
  for (std::byte b : value) {
    auto v = static_cast<unsigned>(b);
    text += kHex[v >> 4];
    text += kHex[v & 0xF];
  }
  return text;
}

// ---------------------------------------------------------------- decode

void throw_bad_value(std::string_view type, std::string_view text) {
  std::string shown(text.substr(0, 64));
  if (text.size() > 64) shown += "...";
  throw Error(ErrorKind::Failure, "cannot read '" + shown + "' as " + std::string(type),
              "the column's type does not match the schema: regenerate the client or migrate the database");
}

void decode(std::string_view text, bool& out) {
  if (text == "t" || text == "true") {
    out = true;
  } else if (text == "f" || text == "false") {
    out = false;
  } else {
    throw_bad_value("Boolean", text);
  }
}

void decode(std::string_view text, std::int32_t& out) { decode_integer(text, out, "Int"); }
void decode(std::string_view text, std::int64_t& out) { decode_integer(text, out, "BigInt"); }

void decode(std::string_view text, double& out) {
  if (text == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    out = -std::numeric_limits<double>::infinity();
  } else {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    if (ec != std::errc() || ptr != end) throw_bad_value("Float", text);
  }
}

void decode(std::string_view text, std::string& out) { out.assign(text); }

void decode(std::string_view text, Decimal& out) {
  auto value = Decimal::parse(text);
  if (!value) throw_bad_value("Decimal", text);
  out = std::move(*value);
}

void decode(std::string_view text, DateTime& out) {
  auto value = parse_datetime(text);
  if (!value) throw_bad_value("DateTime", text);
  out = *value;
}

void decode(std::string_view text, Bytes& out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
    throw_bad_value("Bytes", text);
  auto nibble = [&](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    throw_bad_value("Bytes", text);
  };
  out.clear();
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2)
    out.push_back(static_cast<std::byte>((nibble(text[i]) << 4) | nibble(text[i + 1])));
}

}  // namespace soulstone::client
