#include "migrate/checksum.hpp"

#include <gtest/gtest.h>

namespace soulstone::migrate {
namespace {

TEST(Checksum, IsSha256HexOfTheBytes) {
  // Prisma's own test vector (schema-connector checksum.rs).
  EXPECT_EQ(checksum("hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(checksum("").size(), 64u);
}

TEST(Checksum, MatchesAcrossLineEndingsAsPrismaDoes) {
  const char* lf = "ab\ncd\nef\ngh\rab\n";
  const char* crlf = "ab\r\ncd\r\nef\r\ngh\rab\r\n";
  EXPECT_TRUE(checksum_matches(lf, checksum(crlf)));
  EXPECT_TRUE(checksum_matches(crlf, checksum(lf)));
  EXPECT_TRUE(checksum_matches(lf, checksum(lf)));
}

TEST(Checksum, RejectsAnyOtherEdit) {
  EXPECT_FALSE(checksum_matches("abc", checksum("abcd")));
  EXPECT_FALSE(checksum_matches("abc\n", checksum("abc")));
  EXPECT_FALSE(checksum_matches("abc", ""));
}

TEST(Checksum, AcceptsTheUnpaddedFormOfOldEngines) {
  // SHA-256("hello") has the bytes 0x0e and 0x04 that early engines wrote as
  // "e" and "4": 2cf24dba5fb0a3e26e83b2ac5b9e29e1b161e5c1fa7425e7343362938b9824
  std::string unpadded = "2cf24dba5fb0a3e26e83b2ac5b9e29e1b161e5c1fa7425e7343362938b9824";
  ASSERT_NE(unpadded.size(), 64u);
  EXPECT_TRUE(checksum_matches("hello", unpadded));
  EXPECT_FALSE(checksum_matches("hellO", unpadded));
}

}  // namespace
}  // namespace soulstone::migrate
