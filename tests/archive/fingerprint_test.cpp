#include "archive/fingerprint.hpp"

#include <gtest/gtest.h>

namespace soulstone::archive {
namespace {

std::string fingerprint_of(std::string_view copy_text, std::size_t piece) {
  TableFingerprint fingerprint;
  for (std::size_t at = 0; at < copy_text.size(); at += piece)
    fingerprint.add(copy_text.substr(at, piece));
  fingerprint.finish();
  return std::to_string(fingerprint.rows()) + "/" + fingerprint.hex();
}

TEST(TableFingerprint, IgnoresRowOrderAndHowTheStreamIsCut) {
  std::string a = "1\talice@example.com\t\\N\n2\tbob@example.com\t{\"x\": 1}\n3\tcarol\t12.50\n";
  std::string b = "3\tcarol\t12.50\n1\talice@example.com\t\\N\n2\tbob@example.com\t{\"x\": 1}\n";
  EXPECT_EQ(fingerprint_of(a, 1), fingerprint_of(b, 1000));
  EXPECT_EQ(fingerprint_of(a, 7), fingerprint_of(a, 1000));
  EXPECT_EQ(fingerprint_of(a, 1000).substr(0, 2), "3/");
}

TEST(TableFingerprint, SeesEveryChangedByteAndStopsAtTheEndMarker) {
  std::string a = "1\talice\n2\tbob\n";
  EXPECT_NE(fingerprint_of(a, 100), fingerprint_of("1\talice\n2\tbop\n", 100));
  EXPECT_NE(fingerprint_of(a, 100), fingerprint_of("1\talice\n2\tbob\n2\tbob\n", 100));  // a duplicated row
  EXPECT_EQ(fingerprint_of(a, 100), fingerprint_of(a + "\\.\n\n\n", 3));  // pg_dump's terminator
  EXPECT_EQ(fingerprint_of("", 1), "0/0000000000000000");
}

TEST(RowHash, DependsOnLengthAndEveryWord) {
  EXPECT_NE(row_hash(""), row_hash(std::string(1, '\0')));
  EXPECT_NE(row_hash("abcdefgh12345678"), row_hash("abcdefgh12345679"));
  EXPECT_NE(row_hash("abcdefgh12345678"), row_hash("12345678abcdefgh"));
}

}  // namespace
}  // namespace soulstone::archive
