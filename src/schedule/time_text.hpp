#pragma once
// RFC 3339 UTC instants to the second ("2024-03-31T01:00:00Z"), as the
// agent's state file, logs and JSON write them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace soulstone::schedule {

[[nodiscard]] std::string format_utc_seconds(std::chrono::sys_seconds instant);
// Accepts exactly the form format_utc_seconds() writes; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_utc_seconds(std::string_view text);

// The wall time of `local` as "2024-03-31 02:30" (for messages).
[[nodiscard]] std::string format_local_minutes(std::chrono::local_seconds local);

}  // namespace soulstone::schedule
