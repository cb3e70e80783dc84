// Validator behaviour beyond first-error parity: several errors in one run,
// multi-file schemas, the datasource properties Prisma 6 had.

#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

std::vector<std::string> errors(const std::string& text) {
  Checked checked = check({{"s.prisma", text}});
  std::vector<std::string> out;
  for (const Diagnostic& d : checked.diagnostics)
    out.push_back(render(checked.schema, d));
  return out;
}

const char* kHeader = "datasource db {\n  provider = \"postgresql\"\n}\n";

TEST(Validate, ReportsSeveralErrorsInOneRun) {
  auto found = errors(std::string(kHeader) +
                      "model A {\n"                 // 4
                      "  id Int @id\n"              // 5
                      "  b  Strin\n"                // 6
                      "  c  String @uniq\n"         // 7
                      "  d  Int @default(\"x\")\n"  // 8
                      "}\n");
  std::vector<std::string> expected = {
      "s.prisma:6:6: error: Type \"Strin\" is neither a built-in type, nor refers to another model, "
      "composite type, "
      "or enum.",
      "s.prisma:7:13: error: Attribute not known: \"@uniq\".",
      "s.prisma:8:10: error: Error parsing attribute \"@default\": Expected a Int value, but found `\"x\"`.",
  };
  EXPECT_EQ(found, expected);
}

TEST(Validate, AcceptsThePrisma6DatasourceUrls) {
  // A deliberate difference from Prisma 7, which rejects these properties.
  auto found = errors(
      "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n"
      "  directUrl = env(\"DIRECT_URL\")\n  shadowDatabaseUrl = env(\"SHADOW_DATABASE_URL\")\n}\n"
      "model A {\n  id Int @id\n}\n");
  EXPECT_TRUE(found.empty()) << found.front();
}

TEST(Validate, ReadsAFolderOfSchemaFilesAsOneSchema) {
  TempDir dir("psl-multi");
  std::filesystem::create_directories(dir.path() / "models");
  std::ofstream(dir.path() / "schema.prisma") << kHeader;
  std::ofstream(dir.path() / "models" / "post.prisma")
      << "model Post {\n  id       Int  @id\n  authorId Int\n"
         "  author   User @relation(fields: [authorId], references: [id])\n}\n";
  std::ofstream(dir.path() / "models" / "user.prisma")
      << "model User {\n  id    Int    @id\n  posts Post[]\n}\n";
  std::ofstream(dir.path() / "notes.txt") << "not a schema";
  Schema schema = load(dir.path());
  EXPECT_EQ(schema.files.size(), 3u);
  ASSERT_EQ(schema.relations.size(), 1u);
  EXPECT_EQ(schema.models[schema.relations[0].from_model].name, "Post");
  // Files in path order: models/post.prisma, models/user.prisma, schema.prisma.
  EXPECT_EQ(schema.model("User")->span.file, 1u);
  EXPECT_EQ(schema.datasource()->span.file, 2u);

  std::ofstream(dir.path() / "models" / "user.prisma")
      << "model User {\n  id    Int    @id\n  posts Post[]\n  x Nope\n}\n";
  Checked checked = check(read_schema_files(dir.path()));
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(render(checked.schema, checked.diagnostics.front()),
            (dir.path() / "models" / "user.prisma").string() +
                ":4:5: error: Type \"Nope\" is neither a built-in type, nor refers to another model, "
                "composite type, "
                "or enum.");
}

TEST(Validate, LoadThrowsAnInputErrorListingEveryError) {
  TempDir dir("psl-load");
  std::ofstream(dir.path() / "bad.prisma") << "model A {\n  id Int\n}\n";
  try {
    (void)load(dir.path() / "bad.prisma");
    FAIL() << "load accepted an invalid schema";
  } catch (const soulstone::Error& error) {
    EXPECT_EQ(error.kind(), soulstone::ErrorKind::Input);
    EXPECT_NE(std::string(error.what())
                  .find("bad.prisma:1:1: error: Error validating model \"A\": Each model must "
                        "have at least one unique criteria"),
              std::string::npos)
        << error.what();
  }
  EXPECT_THROW((void)load(dir.path() / "missing.prisma"), soulstone::Error);
  EXPECT_THROW((void)read_schema_files(dir.path() / "nothing-here"), soulstone::Error);
}

}  // namespace
}  // namespace soulstone::psl
