#pragma once
// The record of the columns the last anonymised snapshot saw, so the next
// one can report the columns added since (a new column is where personal
// data slips in unnoticed). Format: docs/formats/snapshot-columns.md.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace soulstone::snapshot {

// "public.users.email" -> its @pii kind, "none", or "" when unmarked.
using ColumnMarkers = std::map<std::string, std::string>;

// nullopt when there is no record yet. Throws Error(Input) naming the file
// when it is not a record of ours.
[[nodiscard]] std::optional<ColumnMarkers> read_column_record(const std::filesystem::path& file);

// Replaces the record atomically (creating its folder).
void write_column_record(const std::filesystem::path& file, const ColumnMarkers& columns);

// The columns of `now` that `before` does not have, sorted.
[[nodiscard]] std::vector<std::string> added_columns(const ColumnMarkers& before, const ColumnMarkers& now);

}  // namespace soulstone::snapshot
