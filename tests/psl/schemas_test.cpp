// Parity with Prisma on the schemas of tests/schemas/: for each NAME.prisma,
// NAME.validate.txt and NAME.format.prisma hold what the Prisma oracle
// printed (tests/schemas/regenerate). Same verdict for every file; for an
// invalid one, our first diagnostic is on Prisma's first error line with
// Prisma's message; format is byte for byte Prisma's.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

const std::filesystem::path kSchemas = SOULSTONE_SOURCE_DIR "/tests/schemas";

// Where `prisma format` adds fields Prisma's "magic" completes (a missing
// back-relation field, missing @relation arguments); our formatter lays out
// what is written and adds nothing.
const std::set<std::string> kFormatAddsFields = {"missing_back_relation", "one_to_one_without_fields",
                                                 "relation_missing_fields_and_references",
                                                 "relation_names_differ", "relation_without_references"};

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> schemas(const std::string& folder) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(kSchemas / folder)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".prisma" && name.find(".format.") == std::string::npos)
      out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path sibling(const std::filesystem::path& schema, const std::string& suffix) {
  return schema.parent_path() / (schema.stem().string() + suffix);
}

struct PrismaVerdict {
  bool valid = true;
  std::size_t line = 0;  // of the first error
  std::string message;   // of the first error
};

PrismaVerdict prisma_verdict(const std::filesystem::path& schema) {
  std::string text = slurp(sibling(schema, ".validate.txt"));
  PrismaVerdict verdict;
  if (text == "valid\n") return verdict;
  verdict.valid = false;
  std::string message = nlohmann::json::parse(text).at("message").get<std::string>();
  std::smatch match;
  static const std::regex kFirst(R"(^error: ([^\n]*)\n  -->  [^\n]*:(\d+))");
  if (std::regex_search(message, match, kFirst)) {
    verdict.message = match[1];
    verdict.line = std::stoul(match[2]);
  }
  return verdict;
}

Checked check_file(const std::filesystem::path& path) {
  return check({{path.filename().string(), slurp(path)}});
}

TEST(Schemas, ValidSchemasAreValidForPrismaAndForUs) {
  auto files = schemas("valid");
  ASSERT_GE(files.size(), 6u);
  for (const auto& path : files) {
    ASSERT_TRUE(prisma_verdict(path).valid) << path << ": the oracle rejects it; move it to invalid/";
    Checked checked = check_file(path);
    EXPECT_TRUE(checked.ok()) << path << ": " << render(checked.schema, checked.diagnostics.front());
  }
}

TEST(Schemas, InvalidSchemasFailOnPrismasFirstErrorLineWithItsMessage) {
  auto files = schemas("invalid");
  ASSERT_GE(files.size(), 30u);
  for (const auto& path : files) {
    PrismaVerdict prisma = prisma_verdict(path);
    ASSERT_FALSE(prisma.valid) << path << ": the oracle accepts it; move it to valid/";
    ASSERT_GT(prisma.line, 0u) << path;
    Checked checked = check_file(path);
    ASSERT_FALSE(checked.ok()) << path << ": we accept it, Prisma says line " << prisma.line << ": "
                               << prisma.message;
    const Diagnostic& first = checked.diagnostics.front();
    EXPECT_EQ(first.span.begin.line, prisma.line) << path << ": " << render(checked.schema, first);
    EXPECT_EQ(first.message, prisma.message) << path;
  }
}

TEST(Schemas, FormatIsByteEqualToPrismaFormat) {
  std::size_t compared = 0;
  for (const std::string folder : {"valid", "invalid"}) {
    for (const auto& path : schemas(folder)) {
      if (kFormatAddsFields.count(path.stem().string()) > 0) continue;
      std::string expected = slurp(sibling(path, ".format.prisma"));
      EXPECT_EQ(format(slurp(path)), expected) << path;
      ++compared;
    }
  }
  EXPECT_GE(compared, 60u);
}

TEST(Schemas, TheSoulstoneSchemaIsValidAndFormatted) {
  std::filesystem::path path = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
  Checked checked = check_file(path);
  EXPECT_TRUE(checked.ok()) << render(checked.schema, checked.diagnostics.front());
  EXPECT_EQ(format(slurp(path)), slurp(path));
}

}  // namespace
}  // namespace soulstone::psl
