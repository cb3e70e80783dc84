// soulstone validate and format through the real binary: exit codes, the
// file:line:column lines, --json, --check, and that format only rewrites
// what needs rewriting.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/temp_dir.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::cli {
namespace {

pg::RunResult soulstone(std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  return pg::run({.argv = args});
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* kValid = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel User {\n  id Int @id\n}\n";
const char* kUnformatted =
    "datasource db {\n  provider   = \"postgresql\"\n}\nmodel User {\n  id Int    @id\n}\n";
const char* kInvalid =
    "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel User {\n  id   Int @id\n  name Strng\n  x    "
    "Int "
    "@uniqe\n}\n";

TEST(SchemaCommands, ValidateSaysValidAndExits0) {
  TempDir dir("cli-validate");
  std::ofstream(dir.path() / "schema.prisma") << kValid;
  auto result = soulstone({"validate", "--schema", (dir.path() / "schema.prisma").string()});
  EXPECT_EQ(result.status.code, 0) << result.err;
  EXPECT_NE(result.out.find("is valid (1 models, 0 enums)"), std::string::npos) << result.out;
}

TEST(SchemaCommands, ValidatePrintsEveryErrorWithFileLineColumnAndExits3) {
  TempDir dir("cli-validate");
  std::string path = (dir.path() / "schema.prisma").string();
  std::ofstream(path) << kInvalid;
  auto result = soulstone({"validate", "--schema", path});
  EXPECT_EQ(result.status.code, 3);
  EXPECT_EQ(result.err,
            path +
                ":7:8: error: Type \"Strng\" is neither a built-in type, nor refers to another model, "
                "composite type, or enum.\n" +
                path + ":8:12: error: Attribute not known: \"@uniqe\".\n" +
                "soulstone: error: the schema at " + path +
                " is invalid: 2 errors (hint: each error above names its file:line:column)\n");
  EXPECT_EQ(slurp(path), kInvalid);  // validate never writes
}

TEST(SchemaCommands, ValidateJsonListsTheDiagnostics) {
  TempDir dir("cli-validate");
  std::string path = (dir.path() / "schema.prisma").string();
  std::ofstream(path) << kInvalid;
  auto result = soulstone({"validate", "--schema", path, "--json"});
  EXPECT_EQ(result.status.code, 3);
  auto document = nlohmann::json::parse(result.out);
  EXPECT_FALSE(document["valid"].get<bool>());
  ASSERT_EQ(document["diagnostics"].size(), 2u);
  EXPECT_EQ(document["diagnostics"][0]["line"], 7);
  EXPECT_EQ(document["diagnostics"][0]["column"], 8);
  EXPECT_EQ(document["diagnostics"][0]["file"], path);
}

TEST(SchemaCommands, ValidateOfAMissingSchemaNamesItAndExits3) {
  auto result = soulstone({"validate", "--schema", "/nonexistent/schema.prisma"});
  EXPECT_EQ(result.status.code, 3);
  EXPECT_EQ(
      result.err,
      "soulstone: error: schema not found: /nonexistent/schema.prisma (hint: pass a .prisma file or a folder "
      "of .prisma files with --schema)\n");
}

TEST(SchemaCommands, FormatCheckReportsWithoutWritingAndExits1) {
  TempDir dir("cli-format");
  std::string path = (dir.path() / "schema.prisma").string();
  std::ofstream(path) << kUnformatted;
  auto result = soulstone({"format", "--check", "--schema", path});
  EXPECT_EQ(result.status.code, 1);
  EXPECT_EQ(result.out, path + " is not formatted\n");
  EXPECT_EQ(slurp(path), kUnformatted);
}

TEST(SchemaCommands, FormatRewritesInPlaceThenCheckPasses) {
  TempDir dir("cli-format");
  std::filesystem::create_directories(dir.path() / "schema");
  std::string messy = (dir.path() / "schema" / "a.prisma").string();
  std::string tidy = (dir.path() / "schema" / "b.prisma").string();
  std::ofstream(messy) << kUnformatted;
  std::ofstream(tidy) << "model Post {\n  id Int @id\n}\n";
  std::filesystem::permissions(messy,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto result = soulstone({"format", "--schema", (dir.path() / "schema").string(), "--json"});
  EXPECT_EQ(result.status.code, 0) << result.err;
  auto document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["formatted"], nlohmann::json::array({messy}));
  EXPECT_EQ(slurp(messy), kValid);
  EXPECT_EQ(std::filesystem::status(messy).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(soulstone({"format", "--check", "--schema", (dir.path() / "schema").string()}).status.code, 0);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "schema"))
    EXPECT_EQ(entry.path().extension(), ".prisma") << "left behind: " << entry.path();
}

}  // namespace
}  // namespace soulstone::cli
