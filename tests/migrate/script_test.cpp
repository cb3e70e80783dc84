#include "migrate/script.hpp"

#include <gtest/gtest.h>

namespace soulstone::migrate {
namespace {

std::vector<int> lines(std::string_view script) {
  std::vector<int> out;
  for (const auto& statement : split_statements(script))
    out.push_back(statement.line);
  return out;
}

TEST(SplitStatements, FindsTheLineOfEachStatementAfterComments) {
  std::string script =
      "-- CreateTable\n"
      "CREATE TABLE \"A\" (\n"
      "    \"id\" INTEGER\n"
      ");\n"
      "\n"
      "/* a block\n comment; with a semicolon */\n"
      "ALTER TABLE \"A\" ADD COLUMN \"b\" TEXT;\n";
  EXPECT_EQ(lines(script), (std::vector<int>{2, 8}));
}

TEST(SplitStatements, SemicolonsInQuotesDoNotSplit) {
  EXPECT_EQ(lines("SELECT 'a;b', \"c;d\", E'it\\'s;'; SELECT 1"), (std::vector<int>{1, 1}));
  EXPECT_EQ(split_statements("SELECT 'a;b', \"c;d\", E'it\\'s;'; SELECT 1").size(), 2u);
  EXPECT_EQ(split_statements("SELECT 'it''s; fine'; SELECT 2;").size(), 2u);
}

TEST(SplitStatements, DollarQuotedBodiesAreOneStatement) {
  std::string script =
      "CREATE FUNCTION f() RETURNS trigger AS $body$\n"
      "BEGIN\n"
      "  NEW.x := 1;\n"
      "  RETURN NEW;\n"
      "END;\n"
      "$body$ LANGUAGE plpgsql;\n"
      "DO $$ BEGIN PERFORM 1; END $$;\n"
      "SELECT $1;\n";
  EXPECT_EQ(lines(script), (std::vector<int>{1, 7, 8}));
}

TEST(SplitStatements, BeginAtomicBodiesAreOneStatement) {
  std::string script =
      "CREATE OR REPLACE FUNCTION g(a int) RETURNS int LANGUAGE sql\n"
      "BEGIN ATOMIC\n"
      "  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;\n"
      "  SELECT a;\n"
      "END;\n"
      "SELECT 1;\n";
  EXPECT_EQ(lines(script), (std::vector<int>{1, 6}));
}

TEST(SplitStatements, EmptyStatementsAndNestedCommentsAreSkipped) {
  EXPECT_EQ(lines(";;\n  ; /* a /* nested */ ; */ SELECT 1;;\n-- end"), (std::vector<int>{2}));
  EXPECT_TRUE(split_statements("-- only a comment\n").empty());
}

TEST(Offsets, CharacterPositionsCountUtf8CodePoints) {
  std::string script = "SELECT 'äö';\nSELEKT 1;";
  // The server counts characters: 'S' of SELEKT is character 14.
  std::size_t offset = offset_of_character(script, 14);
  EXPECT_EQ(script.substr(offset, 6), "SELEKT");
  EXPECT_EQ(line_at(script, offset), 2);
}

}  // namespace
}  // namespace soulstone::migrate
