#pragma once
// Where the statements of a migration script start, as PostgreSQL splits a
// multi-statement string, so an error can name the line of the statement
// that failed. Internal to the migrate module.

#include <cstddef>
#include <string_view>
#include <vector>

namespace soulstone::migrate {

struct ScriptStatement {
  std::size_t offset = 0;  // byte offset of the statement's first token
  int line = 1;            // 1-based line of that token
};

// The non-empty statements of `script`, in order. Semicolons inside quotes,
// quoted identifiers, dollar quotes, comments (nested block comments too)
// and the BEGIN ATOMIC ... END body of a SQL-standard function do not split,
// as in PostgreSQL's lexer and psql.
[[nodiscard]] std::vector<ScriptStatement> split_statements(std::string_view script);

// The 1-based line holding byte `offset` of `script`.
[[nodiscard]] int line_at(std::string_view script, std::size_t offset);

// The byte offset of the 1-based character `position` (UTF-8), as the server
// reports error positions; clamped to the script's size.
[[nodiscard]] std::size_t offset_of_character(std::string_view script, int position);

}  // namespace soulstone::migrate
