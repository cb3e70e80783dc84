#pragma once
// "Did you mean ...?" for mistyped commands and flags.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::cli {

// The candidate closest to `typed` by edit distance, when it is close enough
// to be a plausible typo (at most a third of the word, at least 2 edits).
[[nodiscard]] std::optional<std::string> closest_spelling(std::string_view typed,
                                                          const std::vector<std::string>& candidates);

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace soulstone::cli
