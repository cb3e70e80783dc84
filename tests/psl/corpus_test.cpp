// The real-world schemas of ../shared/corpus, read in place.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "psl/psl.hpp"

namespace soulstone::psl {
namespace {

const std::filesystem::path kCorpus = SOULSTONE_SOURCE_DIR "/../shared/corpus";

std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::exists(kCorpus)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".prisma") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Corpus, EverySchemaParsesWithoutSyntaxErrors) {
  auto files = corpus_files();
  ASSERT_FALSE(files.empty()) << "no corpus at " << kCorpus;
  for (const auto& path : files) {
    std::string text = slurp(path);
    std::vector<Diagnostic> diagnostics;
    Schema schema = parse({{path.string(), text}}, diagnostics);
    EXPECT_TRUE(diagnostics.empty()) << render(schema, diagnostics.front());
    // Every declaration line made it into the tree.
    std::size_t models = 0;
    std::size_t enums = 0;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.find('{') == std::string::npos) continue;
      if (line.rfind("model ", 0) == 0 || line.rfind("view ", 0) == 0) ++models;
      if (line.rfind("enum ", 0) == 0) ++enums;
    }
    EXPECT_EQ(schema.models.size(), models) << path;
    EXPECT_EQ(schema.enums.size(), enums) << path;
    EXPECT_EQ(schema.datasources.size(), 1u) << path;
  }
}

TEST(Corpus, EverySchemaThePrismaOracleAcceptsValidates) {
  for (const auto& path : corpus_files()) {
    std::filesystem::path expected = kCorpus / "expected" / (path.stem().string() + ".validate.txt");
    ASSERT_TRUE(std::filesystem::exists(expected)) << expected;
    bool prisma_valid = slurp(expected) == "valid\n";
    Checked checked = check(read_schema_files(path));
    EXPECT_EQ(checked.ok(), prisma_valid)
        << path << (checked.ok() ? "" : ": " + render(checked.schema, checked.diagnostics.front()));
  }
}

TEST(Corpus, FormatIsByteEqualToPrismaFormat) {
  for (const auto& path : corpus_files()) {
    std::filesystem::path expected = kCorpus / "expected" / (path.stem().string() + ".format.prisma");
    ASSERT_TRUE(std::filesystem::exists(expected)) << expected;
    std::string ours = format(slurp(path));
    EXPECT_EQ(ours, slurp(expected)) << path;
    EXPECT_EQ(format(ours), ours) << path << ": formatting twice changes the text";
  }
}

}  // namespace
}  // namespace soulstone::psl
