#pragma once
// The recursive-descent parser (private to psl). It follows Prisma's PEG
// grammar line by line: a declaration that does not parse as a whole line
// becomes one "catch-all" error for that line, and a block that never closes
// is re-read line by line at the top level, as Prisma's parser does.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "psl/ast.hpp"
#include "psl/layout.hpp"
#include "psl/lexer.hpp"
#include "psl/psl.hpp"
#include "psl/source_map.hpp"

namespace soulstone::psl::detail {

class Parser {
 public:
  // With a layout, also records every item and line for the formatter.
  Parser(Schema& schema, std::uint32_t file, std::vector<Diagnostic>& diagnostics, Layout* layout = nullptr);
  void parse_file();

 private:
  // Top level.
  void parse_declarations();
  bool parse_block(std::string_view keyword, std::uint32_t keyword_end, std::optional<std::string> doc);
  bool parse_model_body(Model& model, std::vector<Member>& members);
  bool parse_enum_body(Enum& value, std::vector<Member>& members);
  bool parse_config_body(ConfigBlock& block, std::vector<Member>& members);
  template <typename ParseLine>
  bool parse_body(std::vector<Member>& members, std::optional<std::string>& pending_doc,
                  const std::string& rejected_message, ParseLine&& parse_line);
  // A blank line or a rejected line inside a block.
  void record_empty(std::vector<Member>& members);
  void record_catch_all(std::vector<Member>& members, Span line);
  bool parse_type_alias();
  bool parse_arbitrary_block();
  void catch_all_top_level();
  void record_raw(std::uint32_t begin, std::uint32_t end);

  // Lines inside blocks; each returns false (position unspecified) when the
  // line does not parse as a whole.
  bool parse_field(Model& model, std::optional<std::string>& doc, Member& line);
  bool parse_block_attribute(std::vector<Attribute>& attributes, Member& line);
  bool parse_enum_value(Enum& value, std::optional<std::string>& doc, Member& line);
  bool parse_property(ConfigBlock& block, Member& line);
  // Type name or Unsupported("..."), then ?, [] and the legacy forms; a
  // legacy form sets `legacy_error` (Prisma then drops the field).
  bool parse_field_type(FieldType& type, std::string& legacy_error, Span& legacy_span, Member& line);
  bool parse_base_type(FieldType& type);
  bool parse_attribute(Attribute& attribute);
  void reserve_attributes(std::vector<Attribute>& attributes);
  // Trailing comment then newline; the comment's documentation is appended.
  bool parse_line_end(std::optional<std::string>& doc, Range& trailing);

  // Expressions.
  bool parse_arguments(std::vector<Argument>& arguments, std::optional<Span>* trailing_comma = nullptr);
  bool parse_expression(Expression& expression);
  bool parse_array(Expression& expression);

  // A run of comment lines; returns its documentation (nullopt when it holds
  // only plain `//` comments).
  std::optional<std::string> parse_comment_block(std::vector<Range>* ranges = nullptr);
  // A comment block inside a block, recorded as one member.
  std::optional<std::string> parse_comments(std::vector<Member>& members);
  // Skips the rest of the current line and its newline; returns the span of
  // the line's text from `begin` for a catch-all error.
  Span catch_all_line(std::uint32_t begin);
  // The name in a Name token when it is a plain identifier (no dots).
  [[nodiscard]] bool is_identifier(const Token& token) const;

  void error(std::string message, Span span);
  [[nodiscard]] Span span(std::uint32_t begin, std::uint32_t end) const { return map_.span(begin, end); }
  [[nodiscard]] std::string_view text(const Token& token) const { return lexer_.text(token); }

  Schema& schema_;
  std::uint32_t file_;
  std::vector<Diagnostic>& diagnostics_;
  Lexer lexer_;
  SourceMap map_;
  Layout* layout_;
  std::vector<Span> empty_enums_;
};

// Appends a documentation line to `doc`.
void append_doc(std::optional<std::string>& doc, std::string_view line);
// The documentation text of one comment token (nullopt for `//` comments).
[[nodiscard]] std::optional<std::string> comment_doc(Tok kind, std::string_view text);

}  // namespace soulstone::psl::detail
