// The canonical formatting, as `prisma format` writes it. Its rules, learnt
// from Prisma's output:
// * Lines inside a block are laid out as a table: name, type, attributes
//   (fields) or name, "= value" (properties), each column one space wider
//   than its widest cell (in bytes); a blank line starts a new table, and
//   runs of blank lines shrink to one.
// * Block attributes (@@...) move to the end of the block after one blank
//   line, with the comments right above them; attributes are sorted by
//   kind (id, unique, default, updatedAt, index, fulltext, map, relation,
//   ignore, then the rest, in written order).
// * Arguments are rewritten with ", " and ": " and no other space; comments
//   are kept as written, trailing ones one space after the line. Text after a
//   `{` on the same line is dropped. Lines that do not parse are kept.
// * Top-level declarations are separated by one blank line.

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "psl/parser.hpp"

namespace soulstone::psl {

namespace {

using detail::Item;
using detail::ItemKind;
using detail::Layout;
using detail::Member;
using detail::MemberKind;
using detail::Range;
using detail::Tok;
using detail::Token;

class Renderer {
 public:
  void write(std::string_view text) {
    if (out_.empty() || out_.back() == '\n') out_.append(indent_ * 2, ' ');
    out_ += text;
  }
  void end_line() { out_ += '\n'; }
  void indent() { ++indent_; }
  void dedent() { --indent_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t indent_ = 0;
};

// Prisma's table of aligned columns.
class Table {
 public:
  void new_row() { rows_.push_back(Row{}); }
  void interleave(std::string text) {
    Row row;
    row.interleaved = true;
    row.suffix = std::move(text);
    rows_.push_back(std::move(row));
  }
  std::string& column(std::size_t index) {
    Row& row = rows_.back();
    if (row.interleaved) return row.suffix;
    row.columns.resize(index + 1);
    return row.columns[index];
  }
  void suffix(std::string_view text) { rows_.back().suffix += text; }

  void render(Renderer& out) {
    std::vector<std::size_t> widths;
    for (Row& row : rows_) {
      if (row.interleaved) continue;
      while (!row.columns.empty() && row.columns.back().empty())
        row.columns.pop_back();
      if (widths.size() < row.columns.size()) widths.resize(row.columns.size());
      for (std::size_t i = 0; i < row.columns.size(); ++i)
        widths[i] = std::max(widths[i], row.columns[i].size());
    }
    for (const Row& row : rows_) {
      if (row.interleaved) {
        out.write(row.suffix);
        out.end_line();
        continue;
      }
      for (std::size_t i = 0; i < row.columns.size(); ++i) {
        out.write(row.columns[i]);
        if (i + 1 < row.columns.size()) out.write(std::string(widths[i] - row.columns[i].size() + 1, ' '));
      }
      if (!row.suffix.empty()) {
        if (!row.columns.empty()) out.write(" ");
        out.write(row.suffix);
      }
      out.end_line();
    }
    rows_.clear();
  }

 private:
  struct Row {
    std::vector<std::string> columns;
    std::string suffix;
    bool interleaved = false;
  };
  std::vector<Row> rows_;
};

class Formatter {
 public:
  Formatter(std::string_view text, const Layout& layout) : text_(text), layout_(layout) {}

  std::string run() {
    const auto& items = layout_.items;
    std::size_t i = 0;
    while (i < items.size() && items[i].kind == ItemKind::Empty)
      ++i;
    for (; i < items.size(); ++i) {
      const Item& item = items[i];
      switch (item.kind) {
        case ItemKind::Block:
          block(item);
          break;
        case ItemKind::Comments: {
          Table table;
          comments(item.comments, table);
          table.render(out_);
          break;
        }
        case ItemKind::Empty:
          if (i + 1 < items.size()) out_.end_line();  // trailing blank lines go
          break;
        case ItemKind::Raw:
          out_.write(slice(item.raw));
          break;
      }
    }
    std::string result = out_.take();
    if (result.empty() || result.back() != '\n') result += '\n';
    return result;
  }

 private:
  [[nodiscard]] std::string_view slice(Range range) const {
    return text_.substr(range.begin, range.end - range.begin);
  }

  // Tokens of an attribute or expression, with ", " after commas and ": "
  // after colons and no other space; a trailing comma goes.
  [[nodiscard]] std::string normalized(Range range) const {
    detail::Lexer lexer(text_.substr(0, range.end));
    lexer.reset(range.begin);
    std::string out;
    Token previous;
    for (Token token = lexer.next(); token.kind != Tok::End; token = lexer.next()) {
      if (previous.kind == Tok::Comma) {
        if (token.kind != Tok::RParen) out += ", ";
      } else if (previous.kind == Tok::Colon) {
        out += ": ";
      }
      if (token.kind != Tok::Comma && token.kind != Tok::Colon) out += lexer.text(token);
      previous = token;
    }
    if (previous.kind == Tok::Colon) out += ": ";
    return out;
  }

  void comments(const std::vector<Range>& ranges, Table& table) const {
    for (Range range : ranges) {
      std::string_view text = slice(range);
      if (text.substr(0, 2) != "/*") {
        table.new_row();
        table.suffix(text);
        continue;
      }
      // A block comment becomes /** ... */ with one " * " line per non-empty line.
      table.new_row();
      table.suffix("/**");
      std::string_view inner = text.substr(2, text.size() - 4);
      std::size_t start = 0;
      while (start <= inner.size()) {
        std::size_t end = inner.find_first_of("\r\n", start);
        if (end == std::string_view::npos) end = inner.size();
        std::string_view line = trim(inner.substr(start, end - start));
        if (!line.empty() && line.front() == '*') line = trim(line.substr(1));
        if (!line.empty()) {
          table.new_row();
          table.suffix(" * ");
          table.suffix(line);
        }
        start = end + 1;
      }
      table.new_row();
      table.suffix(" */");
    }
  }

  static std::string_view trim(std::string_view s) {
    auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    while (!s.empty() && space(s.front()))
      s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
      s.remove_suffix(1);
    return s;
  }

  static std::size_t attribute_rank(std::string_view attribute) {
    while (!attribute.empty() && (attribute.front() == '@' || attribute.front() == ' '))
      attribute.remove_prefix(1);
    std::size_t end = attribute.find('(');
    std::string_view name = attribute.substr(0, end);
    static constexpr std::array<std::string_view, 9> kOrder = {
        "id", "unique", "default", "updatedAt", "index", "fulltext", "map", "relation", "ignore"};
    for (std::size_t i = 0; i < kOrder.size(); ++i) {
      if (kOrder[i] == name) return i;
    }
    return kOrder.size();
  }

  void sort_attributes(std::vector<std::string>& rendered) const {
    std::stable_sort(rendered.begin(), rendered.end(), [](const std::string& a, const std::string& b) {
      return attribute_rank(a) < attribute_rank(b);
    });
  }

  void field(const Member& member, Table& table) const {
    table.new_row();
    table.column(0) = std::string(slice(member.name));
    if (!member.type.empty()) table.column(1) = std::string(slice(member.type)) + member.type_suffix;
    if (!member.trailing.empty()) table.suffix(slice(member.trailing));
    std::vector<std::string> attributes;
    for (Range range : member.attributes)
      attributes.push_back(normalized(range));
    sort_attributes(attributes);
    std::string& column = table.column(2);
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      if (i > 0) column += ' ';
      column += attributes[i];
    }
  }

  void enum_value(const Member& member, Table& table) const {
    table.new_row();
    table.column(0) = std::string(slice(member.name));
    // Prisma writes every attribute of an enum value into the same cell with
    // no space between them; kept for byte equality.
    for (Range range : member.attributes)
      table.column(1) += normalized(range);
    if (!member.trailing.empty()) table.suffix(slice(member.trailing));
  }

  void property(const Member& member, Table& table) const {
    table.new_row();
    table.column(0) = std::string(slice(member.name));
    table.column(1) = "= " + normalized(member.value);
    if (!member.trailing.empty()) table.suffix(slice(member.trailing));
  }

  void block(const Item& item) {
    out_.write(item.keyword + " " + item.name + " {");
    out_.end_line();
    out_.indent();
    const auto& members = item.members;
    std::size_t i = 0;
    while (i < members.size() && members[i].kind == MemberKind::Empty)
      ++i;
    Table table;
    struct BlockAttribute {
      const Member* comments;
      const Member* attribute;
    };
    std::vector<BlockAttribute> attributes;
    const Member* pending_comments = nullptr;
    while (i < members.size()) {
      bool blank = false;
      if (members[i].kind == MemberKind::Empty) {
        blank = true;
        ++i;
        if (i < members.size() && members[i].kind != MemberKind::BlockAttribute &&
            members[i].kind != MemberKind::Comments) {
          table.render(out_);
          table.new_row();  // an empty row: the blank line
        }
      }
      if (i >= members.size()) break;
      const Member& member = members[i++];
      switch (member.kind) {
        case MemberKind::Comments:
          if (i < members.size() && members[i].kind == MemberKind::BlockAttribute) {
            pending_comments = &member;  // moves with the attribute
          } else {
            if (blank) {
              table.render(out_);
              table.new_row();
            }
            comments(member.comments, table);
          }
          break;
        case MemberKind::Field:
          field(member, table);
          break;
        case MemberKind::Property:
          property(member, table);
          break;
        case MemberKind::EnumValue:
          enum_value(member, table);
          break;
        case MemberKind::BlockAttribute:
          attributes.push_back({pending_comments, &member});
          pending_comments = nullptr;
          break;
        case MemberKind::CatchAll:
          table.interleave(std::string(slice(member.name)));
          break;
        case MemberKind::Empty:
          break;
      }
    }
    table.render(out_);
    if (!attributes.empty()) table.new_row();
    std::vector<std::pair<std::size_t, BlockAttribute>> ranked;
    for (const BlockAttribute& attribute : attributes) {
      ranked.emplace_back(attribute_rank(normalized(attribute.attribute->attributes.front())), attribute);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [rank, attribute] : ranked) {
      if (attribute.comments != nullptr) comments(attribute.comments->comments, table);
      table.new_row();
      table.column(0) = normalized(attribute.attribute->attributes.front());
      if (!attribute.attribute->trailing.empty()) table.suffix(slice(attribute.attribute->trailing));
    }
    table.render(out_);
    out_.dedent();
    out_.write("}");
    out_.end_line();
  }

  std::string_view text_;
  const Layout& layout_;
  Renderer out_;
};

}  // namespace

std::string format(std::string_view text) {
  std::vector<Diagnostic> diagnostics;
  Schema schema;
  schema.files.push_back({"", std::string(text)});
  detail::Layout layout;
  detail::Parser parser(schema, 0, diagnostics, &layout);
  parser.parse_file();
  return Formatter(schema.files[0].text, layout).run();
}

}  // namespace soulstone::psl
