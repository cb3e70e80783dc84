#include "codegen/codegen.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "psl/psl.hpp"

namespace soulstone::codegen {
namespace {

psl::Schema parse(const std::string& text, const std::string& path = "dir/schema.prisma") {
  psl::Checked checked = psl::check({{path, text}});
  EXPECT_TRUE(checked.ok()) << (checked.diagnostics.empty() ? "" : checked.diagnostics[0].message);
  return std::move(checked.schema);
}

std::string sha256(const std::string& text) {
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned char c : digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[c >> 4];
    hex += kHex[c & 0xF];
  }
  return hex;
}

const std::string kShop = R"(datasource db {
  provider = "postgresql"
}

generator cpp {
  provider  = "soulstone-cpp"
  output    = "../gen"
  namespace = "shop::db"
}

enum Kind {
  A @map("a")
  B
}

model Event {
  id     Int      @id @default(autoincrement())
  class  String
  delete Boolean
  NULL   Int?
  kind   Kind     @default(A)
  at     DateTime @updatedAt
  tags   String[]
}
)";

TEST(Generate, IsDeterministicAndNamesTheSchemaAndItsDigest) {
  psl::Schema schema = parse(kShop);
  std::vector<Target> found = targets(schema, "dir/schema.prisma", {});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].output, std::filesystem::path("dir/../gen"));
  EXPECT_EQ(found[0].name_space, "shop::db");
  std::vector<File> first = generate(schema, found[0]);
  std::vector<File> second = generate(parse(kShop), targets(parse(kShop), "dir/schema.prisma", {})[0]);
  ASSERT_EQ(first.size(), 2u);
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].name, second[i].name);
    EXPECT_EQ(first[i].text, second[i].text) << first[i].name;
    EXPECT_NE(first[i].text.find("// dir/schema.prisma\n// SHA-256 " + sha256(kShop) + "\n"),
              std::string::npos);
  }
}

TEST(Generate, EscapesNamesThatAreNotValidCpp) {
  psl::Schema schema = parse(kShop);
  std::string header = generate(schema, targets(schema, "dir/schema.prisma", {})[0])[0].text;
  EXPECT_NE(header.find("std::string class_{};"), std::string::npos);
  EXPECT_NE(header.find("bool delete_{};"), std::string::npos);
  EXPECT_NE(header.find("std::optional<std::int32_t> NULL_{};"), std::string::npos);
  EXPECT_NE(header.find("namespace shop::db {"), std::string::npos);
  EXPECT_NE(header.find("std::vector<std::string> tags{};"), std::string::npos);
  // Defaults: left out when unset (database), computed by the client (@updatedAt).
  EXPECT_NE(header.find("std::optional<::shop::db::Kind> kind{};"), std::string::npos);
  std::string source = generate(schema, targets(schema, "dir/schema.prisma", {})[0])[1].text;
  EXPECT_NE(source.find("case Kind::A: return \"a\";"), std::string::npos);
  EXPECT_NE(source.find("if (data.kind) out.add(\"\\\"kind\\\"\", *data.kind);"), std::string::npos);
  EXPECT_NE(source.find("data.at ? *data.at : ::soulstone::client::now()"), std::string::npos);
}

TEST(Generate, RefusesTwoThingsThatWouldHaveTheSameCppName) {
  psl::Schema schema = parse(R"(datasource db {
  provider = "postgresql"
}
model User {
  id Int @id
}
model UserWhere {
  id Int @id
}
)");
  try {
    (void)generate(schema, targets(schema, "s.prisma", {.output = "out"})[0]);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_STREQ(error.what(),
                 "the generated C++ name 'UserWhere' is needed for both model User and model UserWhere");
  }
}

TEST(Targets, NeedAGeneratorBlockOrAnOutputAndAValidNamespace) {
  psl::Schema bare = parse("datasource db {\n  provider = \"postgresql\"\n}\n");
  try {
    (void)targets(bare, "s.prisma", {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(error.what()).find("no generator block with provider = \"soulstone-cpp\""),
              std::string::npos);
    EXPECT_NE(error.hint().find("--output"), std::string::npos);
  }
  std::vector<Target> fallback = targets(bare, "s.prisma", {.output = "out"});
  ASSERT_EQ(fallback.size(), 1u);
  EXPECT_EQ(fallback[0].output, std::filesystem::path("out"));
  EXPECT_EQ(fallback[0].name_space, "db");
  EXPECT_THROW((void)targets(bare, "s.prisma", {.output = "out", .name_space = "a::class"}), Error);
  EXPECT_THROW((void)targets(bare, "s.prisma", {.output = "out", .name_space = "1x"}), Error);
}

TEST(Write, LeavesUnchangedFilesAlone) {
  TempDir dir("codegen");
  std::vector<File> files{{"a.hpp", "one\n"}, {"b.cpp", "two\n"}};
  auto first = write(files, dir.path() / "out");
  EXPECT_TRUE(first[0].changed && first[1].changed);
  files[1].text = "three\n";
  auto second = write(files, dir.path() / "out");
  EXPECT_FALSE(second[0].changed);
  EXPECT_TRUE(second[1].changed);
  std::ifstream in(dir.path() / "out" / "b.cpp");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "three\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "b.cpp.tmp"));
}

}  // namespace
}  // namespace soulstone::codegen
