#include "backup/lifecycle.hpp"

#include <nlohmann/json.hpp>

namespace soulstone::backup {

std::string lifecycle_configuration(const retention::Policy& policy, const std::string& prefix) {
  using nlohmann::json;
  std::string base = prefix.empty() || prefix.back() == '/' ? prefix : prefix + "/";
  auto rule = [&](const std::string& id, const std::string& folder, int days) {
    return json{{"ID", id},
                {"Filter", {{"Prefix", base + folder}}},
                {"Status", "Enabled"},
                {"Expiration", {{"Days", days}}},
                {"AbortIncompleteMultipartUpload", {{"DaysAfterInitiation", 1}}}};
  };
  // Days a copy must live to still be "the newest of one of the last N
  // periods": N periods plus the one in progress.
  // Prefixes must not nest: S3 applies the earliest expiration of every
  // matching rule, so the daily rule matches only the nightly objects.
  json rules = json::array({rule("soulstone-daily", "soulstone-", policy.daily + 1),
                            rule("soulstone-monthly", "monthly/soulstone-", (policy.monthly + 1) * 31),
                            rule("soulstone-yearly", "yearly/soulstone-", (policy.yearly + 1) * 366)});
  return json{{"Rules", rules}}.dump(2) + "\n";
}

}  // namespace soulstone::backup
