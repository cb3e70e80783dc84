// Replays what the fuzzer (fuzz/psl_fuzz.cpp) checks on every input it found
// worth keeping (tests/psl/fuzz-findings/: crashes, hangs and sanitizer
// reports once fixed) and on every schema of tests/schemas/, through the same
// invariants (fuzz/psl_fuzz_one.hpp). A broken invariant aborts the binary,
// which CTest reports as a failure naming the last file started.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/psl_fuzz_one.hpp"

namespace soulstone::psl {
namespace {

const std::filesystem::path kSource = SOULSTONE_SOURCE_DIR;

std::vector<std::filesystem::path> inputs() {
  std::vector<std::filesystem::path> files;
  for (const char* folder : {"tests/psl/fuzz-findings", "tests/schemas/valid", "tests/schemas/invalid"})
    for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource / folder))
      if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FuzzRegression, EveryFindingAndSchemaKeepsTheFuzzersInvariants) {
  std::vector<std::filesystem::path> files = inputs();
  ASSERT_GT(files.size(), 100u);  // the schemas of tests/schemas at least
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    std::ostringstream text;
    text << std::ifstream(file, std::ios::binary).rdbuf();
    std::fprintf(stderr, "%s\n", file.lexically_relative(kSource).c_str());
    fuzz::run_one(text.str());
  }
}

}  // namespace
}  // namespace soulstone::psl
