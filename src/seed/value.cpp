#include "seed/value.hpp"

#include <cmath>
#include <cstdio>

#include "base/error.hpp"

namespace soulstone::seed {

std::string_view kind_name(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::Null:
      return "null";
    case Value::Kind::Bool:
      return "boolean";
    case Value::Kind::Int:
      return "integer";
    case Value::Kind::Decimal:
      return "decimal";
    case Value::Kind::Float:
      return "float";
    case Value::Kind::String:
      return "string";
    case Value::Kind::Timestamp:
      return "timestamp";
    case Value::Kind::Interval:
      return "interval";
    case Value::Kind::Uuid:
      return "uuid";
    case Value::Kind::Array:
      return "array";
  }
  return "value";
}

std::int64_t pow10(int n) noexcept {
  static constexpr std::int64_t kPowers[] = {1LL,
                                             10LL,
                                             100LL,
                                             1000LL,
                                             10000LL,
                                             100000LL,
                                             1000000LL,
                                             10000000LL,
                                             100000000LL,
                                             1000000000LL,
                                             10000000000LL,
                                             100000000000LL,
                                             1000000000000LL,
                                             10000000000000LL,
                                             100000000000000LL,
                                             1000000000000000LL,
                                             10000000000000000LL,
                                             100000000000000000LL,
                                             1000000000000000000LL};
  return kPowers[n < 0 ? 0 : n > 18 ? 18 : n];
}

namespace {

// units at `from` scale to `to` scale, rounding half away from zero.
std::int64_t rescale(std::int64_t units, int from, int to) {
  if (from == to) return units;
  if (from < to) return units * pow10(to - from);
  std::int64_t p = pow10(from - to);
  std::int64_t q = units / p;
  std::int64_t r = units % p;
  if (2 * (r < 0 ? -r : r) >= p) q += units < 0 ? -1 : 1;
  return q;
}

[[noreturn]] void not_a_number(const Value& value) {
  throw Error(ErrorKind::Input, "expected a number, got " + std::string(kind_name(value.kind)) +
                                    (value.kind == Value::Kind::String ? " '" + value.s + "'" : ""));
}

}  // namespace

std::int64_t decimal_units(const Value& value, int scale) {
  switch (value.kind) {
    case Value::Kind::Int:
      return value.i * pow10(scale);
    case Value::Kind::Bool:
      return value.i * pow10(scale);
    case Value::Kind::Decimal:
      return rescale(value.i, value.scale, scale);
    case Value::Kind::Float:
      return static_cast<std::int64_t>(std::llround(value.f * static_cast<double>(pow10(scale))));
    case Value::Kind::String: {
      // A literal such as "4.90": digits, at most one dot.
      std::int64_t units = 0;
      int digits_after = -1;
      bool negative = false, any = false;
      for (std::size_t k = 0; k < value.s.size(); ++k) {
        char c = value.s[k];
        if (k == 0 && c == '-')
          negative = true;
        else if (c == '.' && digits_after < 0)
          digits_after = 0;
        else if (c >= '0' && c <= '9') {
          units = units * 10 + (c - '0');
          any = true;
          if (digits_after >= 0) ++digits_after;
        } else
          not_a_number(value);
      }
      if (!any) not_a_number(value);
      return rescale(negative ? -units : units, digits_after < 0 ? 0 : digits_after, scale);
    }
    default:
      not_a_number(value);
  }
}

std::int64_t integer_of(const Value& value) { return decimal_units(value, 0); }

double float_of(const Value& value) {
  if (value.kind == Value::Kind::Float) return value.f;
  if (value.kind == Value::Kind::Decimal)
    return static_cast<double>(value.i) / static_cast<double>(pow10(value.scale));
  if (value.kind == Value::Kind::String) return std::strtod(value.s.c_str(), nullptr);
  return static_cast<double>(integer_of(value));
}

std::string decimal_text(std::int64_t units, int scale) {
  bool negative = units < 0;
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<std::size_t>(scale)) digits.insert(0, scale + 1 - digits.size(), '0');
    digits.insert(digits.size() - scale, 1, '.');
  }
  return negative ? "-" + digits : digits;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string timestamp_text(std::int64_t micros, bool with_zone, bool date_only) {
  std::int64_t days = micros >= 0 ? micros / 86400000000LL : -((-micros + 86399999999LL) / 86400000000LL);
  std::int64_t rest = micros - days * 86400000000LL;
  // civil_from_days (Hinnant).
  std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buffer[48];
  if (date_only) {
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
    return buffer;
  }
  auto seconds = static_cast<unsigned>(rest / 1000000);
  auto fraction = static_cast<unsigned>(rest % 1000000);
  int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u %02u:%02u:%02u", static_cast<long long>(y),
                        m, d, seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (fraction != 0) n += std::snprintf(buffer + n, sizeof buffer - n, ".%06u", fraction);
  if (with_zone) std::snprintf(buffer + n, sizeof buffer - n, "+00");
  return buffer;
}

bool parse_timestamp(std::string_view text, std::int64_t& micros) {
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, frac = 0;
  int used = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4u-%2u-%2u%n", &y, &mo, &d, &used) != 3 || mo < 1 || mo > 12 || d < 1 ||
      d > 31)
    return false;
  std::string_view rest = text.substr(static_cast<std::size_t>(used));
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return false;
    int more = 0;
    std::string tail(rest.substr(1));
    if (std::sscanf(tail.c_str(), "%2u:%2u:%2u%n", &h, &mi, &s, &more) != 3 || h > 23 || mi > 59 || s > 60)
      return false;
    rest = rest.substr(1 + static_cast<std::size_t>(more));
    if (!rest.empty() && rest[0] == '.') {
      unsigned digits = 0;
      std::size_t k = 1;
      for (; k < rest.size() && rest[k] >= '0' && rest[k] <= '9'; ++k)
        if (digits++ < 6) frac = frac * 10 + static_cast<unsigned>(rest[k] - '0');
      for (; digits < 6; ++digits)
        frac *= 10;
      rest = rest.substr(k);
    }
    if (!(rest.empty() || rest == "Z" || rest == "+00:00" || rest == "+00")) return false;
  }
  micros = (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000LL + frac;
  return true;
}

std::string uuid_text(std::uint64_t high, std::uint64_t low) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int k = 0; k < 16; ++k) {
    if (k == 4 || k == 6 || k == 8 || k == 10) out.push_back('-');
    std::uint64_t word = k < 8 ? high : low;
    auto byte = static_cast<unsigned>((word >> (56 - 8 * (k % 8))) & 0xff);
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 15]);
  }
  return out;
}

bool parse_uuid(std::string_view text, std::uint64_t& high, std::uint64_t& low) {
  high = low = 0;
  int digits = 0;
  for (char c : text) {
    if (c == '-') continue;
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0 || digits == 32) return false;
    std::uint64_t& word = digits < 16 ? high : low;
    word = (word << 4) | static_cast<std::uint64_t>(v);
    ++digits;
  }
  return digits == 32;
}

std::string to_text(const Value& value) {
  switch (value.kind) {
    case Value::Kind::Null:
      return "";
    case Value::Kind::Bool:
      return value.i ? "true" : "false";
    case Value::Kind::Int:
      return std::to_string(value.i);
    case Value::Kind::Decimal:
      return decimal_text(value.i, value.scale);
    case Value::Kind::Float: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", value.f);
      return buffer;
    }
    case Value::Kind::String:
      return value.s;
    case Value::Kind::Timestamp:
      return timestamp_text(value.i, true);
    case Value::Kind::Interval:
      return std::to_string(value.i / 1000000) + " seconds";
    case Value::Kind::Uuid:
      return uuid_text(static_cast<std::uint64_t>(value.i), value.u);
    case Value::Kind::Array: {
      std::string out;
      for (const Value& item : value.items)
        out += (out.empty() ? "" : ",") + to_text(item);
      return out;
    }
  }
  return "";
}

int compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null() ? 0 : (a.is_null() ? -1 : 1);
  if (a.is_number() && b.is_number()) {
    if (a.kind == Value::Kind::Float || b.kind == Value::Kind::Float) {
      double x = float_of(a), y = float_of(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    int scale =
        std::max(a.kind == Value::Kind::Decimal ? a.scale : 0, b.kind == Value::Kind::Decimal ? b.scale : 0);
    std::int64_t x = decimal_units(a, scale), y = decimal_units(b, scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind == Value::Kind::Uuid && b.kind == Value::Kind::Uuid) {
    auto x = static_cast<std::uint64_t>(a.i), y = static_cast<std::uint64_t>(b.i);
    if (x != y) return x < y ? -1 : 1;
    return a.u < b.u ? -1 : a.u > b.u ? 1 : 0;
  }
  if ((a.kind == Value::Kind::Timestamp || a.kind == Value::Kind::Interval || a.kind == Value::Kind::Bool) &&
      a.kind == b.kind)
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  std::string x = a.kind == Value::Kind::String ? a.s : to_text(a);
  std::string y = b.kind == Value::Kind::String ? b.s : to_text(b);
  return x.compare(y) < 0 ? -1 : x.compare(y) > 0 ? 1 : 0;
}

}  // namespace soulstone::seed
