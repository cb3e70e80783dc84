#include "psl/lexer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace soulstone::psl::detail {
namespace {

std::vector<Tok> kinds(std::string_view text) {
  Lexer lexer(text);
  std::vector<Tok> out;
  for (Token t = lexer.next(); t.kind != Tok::End; t = lexer.next())
    out.push_back(t.kind);
  return out;
}

TEST(Lexer, SplitsAFieldLineIntoTokens) {
  EXPECT_EQ(kinds("id Int @id @default(autoincrement()) // c\n"),
            (std::vector<Tok>{Tok::Name, Tok::Name, Tok::At, Tok::Name, Tok::At, Tok::Name, Tok::LParen,
                              Tok::Name, Tok::LParen, Tok::RParen, Tok::RParen, Tok::Comment, Tok::Newline}));
}

TEST(Lexer, KeepsDottedPathsAndNumbersWhole) {
  Lexer lexer("@db.VarChar(255) -1.5 1.5.2 2fa");
  EXPECT_EQ(lexer.next().kind, Tok::At);
  Token path = lexer.next();
  EXPECT_EQ(lexer.text(path), "db.VarChar");
  lexer.next();
  Token number = lexer.next();
  EXPECT_EQ(number.kind, Tok::Number);
  EXPECT_EQ(lexer.text(number), "255");
  lexer.next();
  Token negative = lexer.next();
  EXPECT_EQ(negative.kind, Tok::Number);
  EXPECT_EQ(lexer.text(negative), "-1.5");
  Token prefix = lexer.next();
  EXPECT_EQ(prefix.kind, Tok::Number);
  EXPECT_EQ(lexer.text(prefix), "1.5");
  EXPECT_EQ(lexer.next().kind, Tok::Invalid);  // the second dot
  EXPECT_EQ(lexer.next().kind, Tok::Number);   // 2
  Token name = lexer.next();
  EXPECT_EQ(name.kind, Tok::Name);
  EXPECT_EQ(lexer.text(name), "2fa");
}

TEST(Lexer, TellsDocCommentsFromCommentsAndBlockComments) {
  EXPECT_EQ(kinds("/// doc\n// plain\n/* a\n b */"),
            (std::vector<Tok>{Tok::DocComment, Tok::Newline, Tok::Comment, Tok::Newline, Tok::BlockComment}));
}

TEST(Lexer, EndsNoStringAtANewline) {
  EXPECT_EQ(kinds("\"abc\ndef\""),
            (std::vector<Tok>{Tok::Invalid, Tok::Name, Tok::Newline, Tok::Name, Tok::Invalid}));
  EXPECT_EQ(kinds(R"("a\"b")"), (std::vector<Tok>{Tok::String}));
}

TEST(Lexer, TreatsUnicodeSpaceSeparatorsAsWhiteSpace) {
  EXPECT_EQ(kinds("a\xC2\xA0\tb\r\nc"), (std::vector<Tok>{Tok::Name, Tok::Name, Tok::Newline, Tok::Name}));
}

TEST(DecodeString, ResolvesJsonEscapesAndReportsBadOnes) {
  std::vector<EscapeError> errors;
  EXPECT_EQ(decode_string(R"(a\"b\\c\/d\n\t\u00e9\ud83d\ude00)", errors),
            "a\"b\\c/d\n\t\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(decode_string(R"(C:\path)", errors), "C:ath");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].offset, 2u);
  EXPECT_STREQ(
      errors[0].message,
      "Unknown escape sequence. If the value is a windows-style path, `\\` must be escaped as `\\\\`.");
  errors.clear();
  (void)decode_string(R"(\u12)", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_STREQ(errors[0].message, "Invalid unicode escape sequence.");
}

}  // namespace
}  // namespace soulstone::psl::detail
