#pragma once
// The value types of the generated client and their text form on the wire.
//
// Prisma's scalar types map to: String std::string, Boolean bool, Int
// std::int32_t, BigInt std::int64_t, Float double, Decimal client::Decimal
// (exact: digits kept as text, never through double), DateTime
// client::DateTime (UTC, microseconds: PostgreSQL's precision), Bytes
// client::Bytes, Json nlohmann::json (client_runtime/json.hpp, included only
// by clients of schemas that have Json fields).
//
// encode() gives the text PostgreSQL reads for a parameter or a COPY field;
// decode() reads the text PostgreSQL sends in a result (DateStyle ISO,
// bytea_output hex: client::Session sets both). decode() throws
// soulstone::Error (kind Failure) naming the value when the text is not
// what the type expects.

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::client {

// A decimal number held as its canonical text ("-12.50", "0.001", "NaN"):
// what PostgreSQL's numeric sends and reads, with no rounding anywhere.
// Comparison is numeric: Decimal("1.50") == Decimal("1.5").
class Decimal {
 public:
  Decimal() = default;  // zero
  // REQUIRES: `text` is [+-]digits[.digits], [+-].digits or NaN; throws
  // std::invalid_argument otherwise.
  explicit Decimal(std::string_view text);
  explicit Decimal(std::int64_t value);
  [[nodiscard]] static std::optional<Decimal> parse(std::string_view text);

  [[nodiscard]] const std::string& to_string() const noexcept { return text_; }
  [[nodiscard]] bool is_nan() const noexcept { return text_ == "NaN"; }

  friend bool operator==(const Decimal& a, const Decimal& b) noexcept { return a.compare(b) == 0; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) noexcept {
    return a.compare(b) <=> 0;
  }

 private:
  [[nodiscard]] int compare(const Decimal& other) const noexcept;  // NaN is greater than any number
  std::string text_ = "0";
};

// A point in time, UTC, in microseconds. DateTime fields of every native
// type use it: @db.Date reads as midnight UTC, @db.Time as that time on
// 1970-01-01 (as Prisma does).
using DateTime = std::chrono::sys_time<std::chrono::microseconds>;

using Bytes = std::vector<std::byte>;

// The current time, as @updatedAt fields take it.
[[nodiscard]] DateTime now();

// "2024-03-01T12:00:00.250Z"-like text, for people and tests.
[[nodiscard]] std::string to_iso8601(DateTime value);
// Reads "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM]]" (also with
// a T and a Z) and "HH:MM:SS[.ffffff][±HH[:MM]]".
[[nodiscard]] std::optional<DateTime> parse_datetime(std::string_view text);

// ---------------------------------------------------------------- encode

[[nodiscard]] std::string encode(bool value);
[[nodiscard]] std::string encode(std::int32_t value);
[[nodiscard]] std::string encode(std::int64_t value);
[[nodiscard]] std::string encode(double value);
[[nodiscard]] inline const std::string& encode(const std::string& value) noexcept { return value; }
[[nodiscard]] inline const std::string& encode(const Decimal& value) noexcept { return value.to_string(); }
[[nodiscard]] std::string encode(DateTime value);
[[nodiscard]] std::string encode(const Bytes& value);

// ---------------------------------------------------------------- decode

void decode(std::string_view text, bool& out);
void decode(std::string_view text, std::int32_t& out);
void decode(std::string_view text, std::int64_t& out);
void decode(std::string_view text, double& out);
void decode(std::string_view text, std::string& out);
void decode(std::string_view text, Decimal& out);
void decode(std::string_view text, DateTime& out);
void decode(std::string_view text, Bytes& out);

// Throws the Error decode() throws: `text` is not a valid `type`.
[[noreturn]] void throw_bad_value(std::string_view type, std::string_view text);

}  // namespace soulstone::client
