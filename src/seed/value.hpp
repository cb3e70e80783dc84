#pragma once
// The values the seeder computes, before they are encoded for COPY.
//
// Numbers keep their exactness: Decimal is a scaled integer (units / 10^scale),
// so sums of prices add up to the cent, as the order invariants need.
// Timestamps are microseconds since the Unix epoch, in UTC.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::seed {

struct Value {
  enum class Kind : std::uint8_t {
    Null,
    Bool,
    Int,
    Decimal,
    Float,
    String,
    Timestamp,
    Interval,
    Uuid,
    Array
  };
  Kind kind = Kind::Null;
  std::int32_t scale = 0;    // Decimal
  std::int64_t i = 0;        // Bool (0/1), Int, Decimal units, Timestamp and Interval microseconds
  double f = 0;              // Float
  std::uint64_t u = 0;       // Uuid: the low 64 bits (i holds the high 64): UUIDs never allocate
  std::string s;             // String (also JSON and inet text)
  std::vector<Value> items;  // Array

  [[nodiscard]] bool is_null() const noexcept { return kind == Kind::Null; }
  [[nodiscard]] bool is_number() const noexcept {
    return kind == Kind::Int || kind == Kind::Decimal || kind == Kind::Float;
  }

  static Value null() { return {}; }
  static Value boolean(bool b) { return {.kind = Kind::Bool, .i = b ? 1 : 0}; }
  static Value integer(std::int64_t n) { return {.kind = Kind::Int, .i = n}; }
  static Value decimal(std::int64_t units, std::int32_t scale) {
    return {.kind = Kind::Decimal, .scale = scale, .i = units};
  }
  static Value floating(double d) { return {.kind = Kind::Float, .f = d}; }
  static Value string(std::string text) { return {.kind = Kind::String, .s = std::move(text)}; }
  static Value timestamp(std::int64_t micros) { return {.kind = Kind::Timestamp, .i = micros}; }
  static Value interval(std::int64_t micros) { return {.kind = Kind::Interval, .i = micros}; }
  static Value uuid(std::uint64_t high, std::uint64_t low) {
    return {.kind = Kind::Uuid, .i = static_cast<std::int64_t>(high), .u = low};
  }
};

[[nodiscard]] std::string_view kind_name(Value::Kind kind) noexcept;

// 10^n for n in [0, 18].
[[nodiscard]] std::int64_t pow10(int n) noexcept;

// The value as a decimal with exactly `scale` digits (rounding half away
// from zero); Int, Decimal, Float and numeric strings. Throws Error(Input).
[[nodiscard]] std::int64_t decimal_units(const Value& value, int scale);
// The value as a whole number (Decimal rounded half away from zero).
[[nodiscard]] std::int64_t integer_of(const Value& value);
[[nodiscard]] double float_of(const Value& value);
// "12.30" for units 1230 at scale 2.
[[nodiscard]] std::string decimal_text(std::int64_t units, int scale);

// Timestamps: "2024-03-01 12:00:00.123456+00" (PostgreSQL's text form, in
// UTC) and its parts. `date_only` gives "2024-03-01".
[[nodiscard]] std::string timestamp_text(std::int64_t micros, bool with_zone, bool date_only = false);
// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+00:00]" (UTC only).
[[nodiscard]] bool parse_timestamp(std::string_view text, std::int64_t& micros);
[[nodiscard]] std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

// "0e7b...-..." for 16 raw bytes; parse accepts the dashed and the plain hex form.
[[nodiscard]] std::string uuid_text(std::uint64_t high, std::uint64_t low);
[[nodiscard]] bool parse_uuid(std::string_view text, std::uint64_t& high, std::uint64_t& low);

// The value as text, for string columns and concatenation.
[[nodiscard]] std::string to_text(const Value& value);

// Equality and order across numeric kinds; strings bytewise. Null compares
// equal only to null. Returns <0, 0, >0.
[[nodiscard]] int compare(const Value& a, const Value& b);

}  // namespace soulstone::seed
