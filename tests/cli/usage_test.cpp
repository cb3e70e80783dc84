// The command line's contract, run through the real binary: help, version,
// and one-line usage errors with exit code 2 and a suggestion.
#include <gtest/gtest.h>

#include "pg/subprocess.hpp"

namespace soulstone::cli {
namespace {

pg::RunResult soulstone(std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  return pg::run({.argv = args});
}

TEST(Usage, TopLevelHelpListsEveryCommandAndGlobalFlag) {
  auto result = soulstone({"--help"});
  EXPECT_EQ(result.status.code, 0);
  for (const char* word : {"pg", "--json", "--pg-dir", "--version", "Exit codes:"})
    EXPECT_NE(result.out.find(word), std::string::npos) << word;
}

TEST(Usage, PgHelpDescribesEveryCommand) {
  auto result = soulstone({"pg", "--help"});
  EXPECT_EQ(result.status.code, 0);
  for (const char* word : {"start", "stop", "status", "url"})
    EXPECT_NE(result.out.find(word), std::string::npos);
  for (const char* command : {"start", "stop", "status", "url"}) {
    auto sub = soulstone({"pg", command, "--help"});
    EXPECT_EQ(sub.status.code, 0) << command;
    EXPECT_NE(sub.out.find("Usage: soulstone pg " + std::string(command)), std::string::npos) << sub.out;
  }
}

TEST(Usage, VersionPrintsTheVersion) {
  auto result = soulstone({"--version"});
  EXPECT_EQ(result.status.code, 0);
  EXPECT_EQ(result.out.rfind("soulstone ", 0), 0u);
}

TEST(Usage, UnknownCommandExits2WithOneLineAndASuggestion) {
  auto result = soulstone({"pg", "stauts"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "soulstone: error: unknown command 'stauts' for 'soulstone pg' (hint: did you mean 'status'?)\n");
}

TEST(Usage, UnknownTopLevelCommandSuggestsTheClosest) {
  auto result = soulstone({"gp", "start"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_EQ(result.err,
            "soulstone: error: unknown command 'gp' for 'soulstone' (hint: did you mean 'pg'?)\n");
}

TEST(Usage, UnknownFlagExits2WithASuggestion) {
  auto result = soulstone({"pg", "status", "--jsno"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_EQ(
      result.err,
      "soulstone: error: unknown flag '--jsno' for 'soulstone pg status' (hint: did you mean '--json'?)\n");
}

TEST(Usage, MissingSubcommandNamesTheChoices) {
  auto result = soulstone({"pg"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_EQ(result.err,
            "soulstone: error: 'soulstone pg' needs a command: start, stop, status, url "
            "(hint: see 'soulstone pg --help')\n");
}

TEST(Usage, UsageErrorsAreJsonWithTheJsonFlag) {
  auto result = soulstone({"--json", "pg", "stauts"});
  EXPECT_EQ(result.status.code, 2);
  EXPECT_NE(result.err.find("\"kind\":\"usage\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("\"exit_code\":2"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace soulstone::cli
