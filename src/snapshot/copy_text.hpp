#pragma once
// The column list of pg_dump's COPY statements; the rows themselves are in
// COPY's text format (pg/copy_text.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/copy_text.hpp"

namespace soulstone::snapshot {

using pg::append_copy_field;
using pg::decode_copy_field;
using pg::is_copy_null;
using pg::split_copy_row;

// The column names of pg_dump's COPY statement ("COPY public.users (id,
// \"fullName\") FROM stdin;"), unquoted; nullopt when it does not parse.
[[nodiscard]] std::optional<std::vector<std::string>> copy_statement_columns(std::string_view statement);

}  // namespace soulstone::snapshot
