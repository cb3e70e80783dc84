#pragma once
// The layout of a file as the formatter needs it (private to psl): every
// top-level item and every line inside a block, in order, as byte ranges of
// the source, including comments and blank lines that the tree leaves out.
// The parser records it while parsing, so the formatter sees exactly the
// lines the parser accepted and the ones it rejected.

#include <cstdint>
#include <string>
#include <vector>

namespace soulstone::psl::detail {

struct Range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  [[nodiscard]] bool empty() const noexcept { return begin == end; }
};

enum class MemberKind { Field, BlockAttribute, EnumValue, Property, Comments, Empty, CatchAll };

struct Member {
  MemberKind kind = MemberKind::Empty;
  Range name;                     // field, enum value or property name; the text of a catch-all line
  Range type;                     // a field's base type as written (Int, Unsupported("x"))
  const char* type_suffix = "";   // "", "?", "[]" or "[]?"
  std::vector<Range> attributes;  // @... of fields and enum values; the @@... of a block attribute
  Range value;                    // a property's value
  Range trailing;                 // the comment at the end of the line
  std::vector<Range> comments;    // Comments: one range per comment
};

enum class ItemKind { Block, Comments, Empty, Raw };

struct Item {
  ItemKind kind = ItemKind::Empty;
  std::string keyword;          // Block: model, view, type, enum, datasource, generator
  std::string name;             // Block
  std::vector<Member> members;  // Block
  std::vector<Range> comments;  // Comments
  Range raw;                    // Raw: text written as is (rejected lines, unknown blocks, type aliases)
};

struct Layout {
  std::vector<Item> items;
};

}  // namespace soulstone::psl::detail
