#include <gtest/gtest.h>

#include <string>

#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

TEST(Format, AlignsColumnsPerGroupOfLinesBetweenBlankLines) {
  EXPECT_EQ(format("model A {\n"
                   "  id Int @id\n"
                   "  longName   String?   @unique\n"
                   "\n\n"
                   "  x Int\n"
                   "}\n"),
            "model A {\n"
            "  id       Int     @id\n"
            "  longName String? @unique\n"
            "\n"
            "  x Int\n"
            "}\n");
}

TEST(Format, MovesBlockAttributesLastAndSortsAttributesByKind) {
  EXPECT_EQ(format("model A {\n"
                   "  @@map(\"a\")\n"
                   "  // about the index\n"
                   "  @@index([b])\n"
                   "  id String @db.Uuid @default(uuid()) @id\n"
                   "  b  Int\n"
                   "}\n"),
            "model A {\n"
            "  id String @id @default(uuid()) @db.Uuid\n"
            "  b  Int\n"
            "\n"
            "  // about the index\n"
            "  @@index([b])\n"
            "  @@map(\"a\")\n"
            "}\n");
}

TEST(Format, NormalizesArgumentsAndKeepsStringsAsWritten) {
  EXPECT_EQ(format("model A {\n"
                   "  id Int @id @default( autoincrement( ) )\n"
                   "  s String @default(\"a\\\"b\")\n"
                   "  @@index([ id ,s ],map:\"x\",)\n"
                   "}\n"),
            "model A {\n"
            "  id Int    @id @default(autoincrement())\n"
            "  s  String @default(\"a\\\"b\")\n"
            "\n"
            "  @@index([id, s], map: \"x\")\n"
            "}\n");
}

TEST(Format, SeparatesTopLevelBlocksWithOneBlankLineAndEndsWithANewline) {
  EXPECT_EQ(format("\n\ndatasource db {\n  provider   = \"postgresql\" // pg\n}\nenum E {\n  A\n  B "
                   "@map(\"b\")\n}\n\n\n\n"
                   "// the end"),
            "datasource db {\n  provider = \"postgresql\" // pg\n}\n\nenum E {\n  A\n  B "
            "@map(\"b\")\n}\n\n// the end\n");
}

TEST(Format, KeepsLinesThatDoNotParse) {
  EXPECT_EQ(format("model A {\n  id Int @id\n  this is not valid!\n}\nwhat\n"),
            "model A {\n  id Int @id\n  this is not valid!\n}\n\nwhat\n");
}

TEST(Format, RewritesBlockCommentsAsPrismaDoes) {
  EXPECT_EQ(format("/* one\n   * two  \n*/\nmodel A {\n  id Int @id\n}\n"),
            "/**\n * one\n * two\n */\nmodel A {\n  id Int @id\n}\n");
}

TEST(Format, DropsLegacySyntaxItCanRewrite) {
  EXPECT_EQ(format("model A {\n  id: Int @id\n  tags [String]\n}\n"),
            "model A {\n  id   Int      @id\n  tags String[]\n}\n");
}

}  // namespace
}  // namespace soulstone::psl
