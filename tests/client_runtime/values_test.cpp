#include "client_runtime/values.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "base/error.hpp"
#include "client_runtime/codec.hpp"
#include "client_runtime/json.hpp"

namespace soulstone::client {
namespace {

using namespace std::chrono;

TEST(Decimal, KeepsTheDigitsAndComparesNumerically) {
  Decimal price("12345678901234567890.123456789");
  EXPECT_EQ(price.to_string(), "12345678901234567890.123456789");
  EXPECT_EQ(Decimal("1.50"), Decimal("1.5"));
  EXPECT_EQ(Decimal("-0.00"), Decimal("0"));
  EXPECT_LT(Decimal("-2"), Decimal("-1.99"));
  EXPECT_LT(Decimal("9.99"), Decimal("10"));
  EXPECT_GT(Decimal("0.1"), Decimal("0.09"));
  EXPECT_GT(Decimal("NaN"), Decimal("99999999"));
  EXPECT_EQ(Decimal(std::int64_t{-42}).to_string(), "-42");
  EXPECT_FALSE(Decimal::parse("1e5"));
  EXPECT_FALSE(Decimal::parse("1.2.3"));
  EXPECT_FALSE(Decimal::parse(""));
  EXPECT_THROW(Decimal("12,5"), std::invalid_argument);
}

TEST(DateTime, ReadsPostgresTextInAnyOffsetAndWritesUtc) {
  DateTime expected = sys_days(2024y / March / 1) + 12h + 30min + 15s + 250000us;
  EXPECT_EQ(parse_datetime("2024-03-01 12:30:15.25+00"), expected);
  EXPECT_EQ(parse_datetime("2024-03-01 14:30:15.25+02"), expected);
  EXPECT_EQ(parse_datetime("2024-03-01 07:00:15.25-05:30"), expected);
  EXPECT_EQ(parse_datetime("2024-03-01T12:30:15.250Z"), expected);
  EXPECT_EQ(parse_datetime("2024-03-01 12:30:15.25"), expected);  // timestamp without time zone is UTC
  EXPECT_EQ(parse_datetime("2024-03-01"), DateTime(sys_days(2024y / March / 1)));
  EXPECT_EQ(parse_datetime("12:30:15.25"), DateTime(12h + 30min + 15s + 250000us));
  EXPECT_EQ(encode(expected), "2024-03-01 12:30:15.250000+00");
  EXPECT_EQ(to_iso8601(expected), "2024-03-01T12:30:15.250000Z");
  EXPECT_FALSE(parse_datetime("2024-02-30"));
  EXPECT_FALSE(parse_datetime("infinity"));
  EXPECT_FALSE(parse_datetime("2024-03-01 12:30"));
}

TEST(Codec, ScalarsRoundTripThroughTheirText) {
  double d = 0;
  decode(encode(0.1), d);
  EXPECT_EQ(d, 0.1);
  decode("NaN", d);
  EXPECT_TRUE(std::isnan(d));
  std::int64_t big = 0;
  decode(encode(std::numeric_limits<std::int64_t>::min()), big);
  EXPECT_EQ(big, std::numeric_limits<std::int64_t>::min());
  std::int32_t small = 0;
  EXPECT_THROW(decode("2147483648", small), Error);  // out of Int's range
  bool flag = false;
  decode("t", flag);
  EXPECT_TRUE(flag);
  Bytes bytes{std::byte{0}, std::byte{0xAB}, std::byte{0x7F}};
  EXPECT_EQ(encode(bytes), "\\x00ab7f");
  Bytes back;
  decode("\\x00AB7f", back);
  EXPECT_EQ(back, bytes);
  EXPECT_THROW(decode("\\x0", back), Error);
}

TEST(Codec, ListsAreArrayLiteralsWithEveryElementQuoted) {
  std::vector<std::string> tags{"plain", "with,comma", "with \"quote\"", "back\\slash", "NULL", "{brace}",
                                ""};
  std::string literal = Codec<std::vector<std::string>>::encode(tags);
  EXPECT_EQ(literal, R"({"plain","with,comma","with \"quote\"","back\\slash","NULL","{brace}",""})");
  std::vector<std::string> back;
  Codec<std::vector<std::string>>::decode(literal, back);
  EXPECT_EQ(back, tags);
  // PostgreSQL quotes only where it must.
  Codec<std::vector<std::string>>::decode(R"({a,"b c",NULLish})", back);
  EXPECT_EQ(back, (std::vector<std::string>{"a", "b c", "NULLish"}));
  std::vector<std::int32_t> numbers;
  Codec<std::vector<std::int32_t>>::decode("{}", numbers);
  EXPECT_TRUE(numbers.empty());
  EXPECT_THROW(Codec<std::vector<std::int32_t>>::decode("{1,NULL}", numbers), Error);
  EXPECT_THROW(Codec<std::vector<std::int32_t>>::decode("{{1,2},{3,4}}", numbers), Error);
}

TEST(Codec, JsonKeepsTheDocument) {
  nlohmann::json doc = {{"color", "red"}, {"sizes", {1, 2}}};
  nlohmann::json back;
  Codec<nlohmann::json>::decode(Codec<nlohmann::json>::encode(doc), back);
  EXPECT_EQ(back, doc);
  EXPECT_THROW(Codec<nlohmann::json>::decode("{not json", back), Error);
}

}  // namespace
}  // namespace soulstone::client
