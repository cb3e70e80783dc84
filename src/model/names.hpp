#pragma once
// Prisma's default names for constraints and indexes on PostgreSQL, byte for
// byte (including where Prisma cuts a name at PostgreSQL's 63-byte limit, on
// a UTF-8 character boundary). They are derived from database names (after
// @map/@@map), never from model or field names.

#include <string>
#include <string_view>
#include <vector>

namespace soulstone::model {

// "<table>_pkey"
[[nodiscard]] std::string primary_key_name(std::string_view table);
// "<table>_<col1>_<col2>_key"
[[nodiscard]] std::string unique_index_name(std::string_view table, const std::vector<std::string>& columns);
// "<table>_<col1>_<col2>_idx"
[[nodiscard]] std::string index_name(std::string_view table, const std::vector<std::string>& columns);
// "<table>_<col1>_<col2>_fkey", for the constrained (referencing) table.
[[nodiscard]] std::string foreign_key_name(std::string_view table, const std::vector<std::string>& columns);

// The names Prisma gives an implicit many-to-many join table `_<relation>`.
struct JoinTableNames {
  std::string table;          // "_<relation>", cut to 63 characters
  std::string primary_key;    // "<table>_AB_pkey"
  std::string b_index;        // "<table>_B_index"
  std::string a_foreign_key;  // "<table>_A_fkey"
  std::string b_foreign_key;  // "<table>_B_fkey"
};
[[nodiscard]] JoinTableNames join_table_names(std::string_view relation_name);

// The longest prefix of `text` of at most `bytes` bytes that does not split a
// UTF-8 character.
[[nodiscard]] std::string_view utf8_prefix(std::string_view text, std::size_t bytes) noexcept;

}  // namespace soulstone::model
