#include "backup/lifecycle.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace soulstone::backup {
namespace {

TEST(Lifecycle, ExpiresEachTierUnderItsOwnPrefix) {
  auto document = nlohmann::json::parse(lifecycle_configuration(retention::Policy{}, "nightly"));
  const auto& rules = document["Rules"];
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0]["Filter"]["Prefix"], "nightly/soulstone-");
  EXPECT_EQ(rules[0]["Expiration"]["Days"], 31);
  EXPECT_EQ(rules[1]["Filter"]["Prefix"], "nightly/monthly/soulstone-");
  EXPECT_EQ(rules[1]["Expiration"]["Days"], 13 * 31);
  EXPECT_EQ(rules[2]["Expiration"]["Days"], 4 * 366);
  for (const auto& rule : rules) {
    EXPECT_EQ(rule["Status"], "Enabled");
    EXPECT_EQ(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 1);
  }
}

}  // namespace
}  // namespace soulstone::backup
