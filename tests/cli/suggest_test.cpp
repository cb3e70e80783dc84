#include "cli/suggest.hpp"

#include <gtest/gtest.h>

namespace soulstone::cli {

TEST(EditDistance, CountsASwapAsOneEdit) {
  EXPECT_EQ(edit_distance("status", "status"), 0u);
  EXPECT_EQ(edit_distance("stauts", "status"), 1u);
  EXPECT_EQ(edit_distance("sttus", "status"), 1u);
  EXPECT_EQ(edit_distance("", "url"), 3u);
}

TEST(ClosestSpelling, SuggestsOnlyPlausibleTypos) {
  std::vector<std::string> commands = {"start", "stop", "status", "url"};
  EXPECT_EQ(closest_spelling("statsu", commands), "status");
  EXPECT_EQ(closest_spelling("strat", commands), "start");
  EXPECT_EQ(closest_spelling("--jsn", {"--json", "--pg-dir", "--help"}), "--json");
  EXPECT_EQ(closest_spelling("backup", commands), std::nullopt);
}

}  // namespace soulstone::cli
