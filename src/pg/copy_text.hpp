#pragma once
// COPY's text format, one row at a time: fields separated by tabs, NULL
// written \N, and backslash escapes for the characters that would break
// the format (PostgreSQL's copyfromparse.c reads them, copyto.c writes
// them). pg_dump's data blocks hold exactly this; db seed writes it.

#include <string>
#include <string_view>
#include <vector>

namespace soulstone::pg {

// The fields of one row (without its '\n'), still escaped. A field never
// holds a raw tab, so splitting at tabs is exact.
void split_copy_row(std::string_view row, std::vector<std::string_view>& fields);

[[nodiscard]] inline bool is_copy_null(std::string_view field) noexcept { return field == "\\N"; }

// The value of an escaped field (REQUIRES: not \N).
[[nodiscard]] std::string decode_copy_field(std::string_view field);

// Appends `value` escaped as COPY writes it.
void append_copy_field(std::string& out, std::string_view value);

}  // namespace soulstone::pg
