#pragma once
// The S3 lifecycle configuration closest to the retention policy, for teams
// that prefer server-side expiry. S3 expires objects by age only, so it can
// express "keep N days" but not "keep the newest of each month": monthly and
// yearly copies must live under their own prefixes, which soulstone's own
// prune does not need. The generated document says so.

#include <string>

#include "retention/retention.hpp"

namespace soulstone::backup {

// The JSON for `aws s3api put-bucket-lifecycle-configuration --lifecycle-configuration file://…`.
[[nodiscard]] std::string lifecycle_configuration(const retention::Policy& policy, const std::string& prefix);

}  // namespace soulstone::backup
