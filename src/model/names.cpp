#include "model/names.hpp"

#include "model/model.hpp"

namespace soulstone::model {

namespace {

std::string joined(std::string_view table, const std::vector<std::string>& columns) {
  std::string out(table);
  out += '_';
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += '_';
    out += columns[i];
  }
  return out;
}

// Prisma cuts the stem when it reaches (not only when it exceeds) the room
// left for the suffix; the effect is the same as cutting to that length.
std::string with_suffix(std::string stem, std::string_view suffix) {
  std::size_t room = kMaxIdentifierLength - suffix.size();
  if (stem.size() >= room) stem = std::string(utf8_prefix(stem, room));
  stem += suffix;
  return stem;
}

// The first `count` code points of `text` (Rust's chars().take(count)).
std::string first_chars(std::string_view text, std::size_t count) {
  std::size_t i = 0;
  std::size_t taken = 0;
  while (i < text.size() && taken < count) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t width = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : 4;
    i += width;
    ++taken;
  }
  return std::string(text.substr(0, std::min(i, text.size())));
}

}  // namespace

std::string_view utf8_prefix(std::string_view text, std::size_t bytes) noexcept {
  if (bytes >= text.size()) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80)
    --bytes;
  return text.substr(0, bytes);
}

std::string primary_key_name(std::string_view table) { return with_suffix(std::string(table), "_pkey"); }

std::string unique_index_name(std::string_view table, const std::vector<std::string>& columns) {
  return with_suffix(joined(table, columns), "_key");
}

std::string index_name(std::string_view table, const std::vector<std::string>& columns) {
  return with_suffix(joined(table, columns), "_idx");
}

std::string foreign_key_name(std::string_view table, const std::vector<std::string>& columns) {
  return with_suffix(joined(table, columns), "_fkey");
}

JoinTableNames join_table_names(std::string_view relation_name) {
  JoinTableNames names;
  names.table = first_chars(std::string("_") + std::string(relation_name), kMaxIdentifierLength);
  const std::string& table = names.table;
  names.primary_key = first_chars(table, kMaxIdentifierLength - 8) + "_AB_pkey";
  names.b_index = first_chars(table, kMaxIdentifierLength - 8) + "_B_index";
  // Prisma keeps these two apart on purpose (its comment: no collisions
  // possible); note the asymmetric comparisons, kept for byte parity.
  constexpr std::size_t max_stem = kMaxIdentifierLength - 5 - 2;
  names.a_foreign_key = (table.size() > max_stem ? table.substr(0, max_stem) : table) + "_A_fkey";
  names.b_foreign_key = (table.size() >= max_stem ? table.substr(0, max_stem) : table) + "_B_fkey";
  return names;
}

}  // namespace soulstone::model
