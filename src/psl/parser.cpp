// Top-level declarations and blocks. The shape follows Prisma's grammar
// (schema-ast's datamodel.pest): `{` must end its line (the rest of that line
// is ignored, as Prisma ignores it), every declaration inside a block is one
// line, and a line that is not a valid declaration is an error of its own
// without stopping the parse.

#include "psl/parser.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace soulstone::psl::detail {

namespace {

constexpr const char* kTopCatchAll =
    "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.";
constexpr const char* kArbitraryBlock =
    "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. "
    "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.";
constexpr const char* kTypeAlias =
    "Error validating: Invalid type definition. Please check the documentation in "
    "https://pris.ly/d/composite-types";

constexpr std::array<std::string_view, 6> kKeywords = {"model", "type",       "view",
                                                       "enum",  "datasource", "generator"};

}  // namespace

Parser::Parser(Schema& schema, std::uint32_t file, std::vector<Diagnostic>& diagnostics, Layout* layout)
    : schema_(schema),
      file_(file),
      diagnostics_(diagnostics),
      lexer_(schema.files[file].text),
      map_(schema.files[file].text, file),
      layout_(layout) {}

void Parser::record_empty(std::vector<Member>& members) {
  if (layout_ == nullptr) return;
  if (!members.empty() && members.back().kind == MemberKind::Empty) return;
  members.push_back(Member{});
}

void Parser::record_catch_all(std::vector<Member>& members, Span line) {
  if (layout_ == nullptr) return;
  Member member;
  member.kind = MemberKind::CatchAll;
  member.name = {line.begin.offset, line.end.offset};
  members.push_back(std::move(member));
}

void Parser::error(std::string message, Span where) {
  diagnostics_.push_back(Diagnostic{Severity::Error, std::move(message), where});
}

bool Parser::is_identifier(const Token& token) const {
  return token.kind == Tok::Name && text(token).find('.') == std::string_view::npos;
}

Span Parser::catch_all_line(std::uint32_t begin) {
  lexer_.reset(begin);
  std::uint32_t end = lexer_.skip_to_line_end();
  lexer_.eat_newline();
  return span(begin, end);
}

void Parser::parse_file() {
  parse_declarations();
  for (const Span& enum_span : empty_enums_)
    error("Error validating: An enum must have at least one value.", enum_span);
}

void Parser::parse_declarations() {
  std::optional<std::string> pending_doc;
  bool have_pending = false;  // a comment block right above the next declaration
  for (;;) {
    std::uint32_t begin = lexer_.skip_spaces();
    Token token = lexer_.peek();
    if (token.kind == Tok::End) return;
    if (token.kind == Tok::Newline) {
      lexer_.next();
      have_pending = false;
      pending_doc.reset();
      if (layout_ != nullptr && (layout_->items.empty() || layout_->items.back().kind != ItemKind::Empty))
        layout_->items.push_back(Item{});
      continue;
    }
    if (token.kind == Tok::Comment || token.kind == Tok::DocComment || token.kind == Tok::BlockComment) {
      Item item;
      item.kind = ItemKind::Comments;
      pending_doc = parse_comment_block(layout_ != nullptr ? &item.comments : nullptr);
      if (layout_ != nullptr) layout_->items.push_back(std::move(item));
      have_pending = true;
      continue;
    }
    std::optional<std::string> doc = have_pending ? std::move(pending_doc) : std::nullopt;
    have_pending = false;
    pending_doc.reset();
    if (token.kind == Tok::Name) {
      std::string_view word = text(token);
      bool parsed = false;
      for (std::string_view keyword : kKeywords) {
        if (word.substr(0, keyword.size()) != keyword) continue;
        if (parse_block(keyword, begin + static_cast<std::uint32_t>(keyword.size()), doc)) {
          parsed = true;
          break;
        }
        lexer_.reset(begin);
      }
      if (parsed) continue;
      if (word.substr(0, 4) == "type" && parse_type_alias()) continue;
      lexer_.reset(begin);
      if (parse_arbitrary_block()) continue;
    }
    lexer_.reset(begin);
    catch_all_top_level();
  }
}

void Parser::catch_all_top_level() {
  std::uint32_t begin = lexer_.pos();
  error(kTopCatchAll, catch_all_line(begin));
  // Prisma's formatter writes a rejected line back as it was, newline included.
  record_raw(begin, lexer_.pos());
}

void Parser::record_raw(std::uint32_t begin, std::uint32_t end) {
  if (layout_ == nullptr) return;
  Item item;
  item.kind = ItemKind::Raw;
  item.raw = {begin, end};
  layout_->items.push_back(std::move(item));
}

bool Parser::parse_block(std::string_view keyword, std::uint32_t keyword_end,
                         std::optional<std::string> doc) {
  std::uint32_t begin = lexer_.pos();
  std::size_t diagnostics_before = diagnostics_.size();
  auto fail = [&] {
    diagnostics_.resize(diagnostics_before);
    return false;
  };
  // The keyword may run into the name ("modelUser" is model User to Prisma's
  // grammar, which allows no space between them).
  Token word = lexer_.next();
  std::string name;
  Span name_span;
  if (word.end > keyword_end) {
    std::string_view rest = lexer_.text().substr(keyword_end, word.end - keyword_end);
    if (!is_name_start(rest.front()) || rest.find('.') != std::string_view::npos) return fail();
    name = std::string(rest);
    name_span = span(keyword_end, word.end);
  } else {
    Token name_token = lexer_.next();
    if (!is_identifier(name_token)) return fail();
    name = std::string(text(name_token));
    name_span = span(name_token.begin, name_token.end);
  }
  if (lexer_.next().kind != Tok::LBrace) return fail();
  lexer_.skip_to_line_end();
  if (!lexer_.eat_newline()) return fail();

  Item item;
  item.kind = ItemKind::Block;
  item.keyword = std::string(keyword);
  item.name = name;
  auto record = [&] {
    if (layout_ != nullptr) layout_->items.push_back(std::move(item));
  };
  if (keyword == "enum") {
    Enum value;
    value.name = std::move(name);
    value.name_span = name_span;
    value.documentation = std::move(doc);
    if (!parse_enum_body(value, item.members)) return fail();
    record();
    value.span = span(begin, lexer_.pos());
    // Prisma reports empty enums after the file's syntax errors.
    if (value.values.empty()) empty_enums_.push_back(value.span);
    schema_.order.push_back({TopKind::Enum, schema_.enums.size()});
    schema_.enums.push_back(std::move(value));
    return true;
  }
  if (keyword == "datasource" || keyword == "generator") {
    ConfigBlock block;
    block.kind = keyword == "datasource" ? ConfigKind::Datasource : ConfigKind::Generator;
    block.name = std::move(name);
    block.name_span = name_span;
    if (!parse_config_body(block, item.members)) return fail();
    record();
    block.span = span(begin, lexer_.pos());
    auto& list = block.kind == ConfigKind::Datasource ? schema_.datasources : schema_.generators;
    schema_.order.push_back(
        {block.kind == ConfigKind::Datasource ? TopKind::Datasource : TopKind::Generator, list.size()});
    list.push_back(std::move(block));
    return true;
  }
  Model model;
  model.kind = keyword == "model"  ? ModelKind::Model
               : keyword == "view" ? ModelKind::View
                                   : ModelKind::CompositeType;
  model.name = std::move(name);
  model.name_span = name_span;
  model.documentation = std::move(doc);
  if (!parse_model_body(model, item.members)) return fail();
  record();
  model.span = span(begin, lexer_.pos());
  if (model.kind == ModelKind::CompositeType) {
    schema_.order.push_back({TopKind::CompositeType, schema_.composite_types.size()});
    schema_.composite_types.push_back(std::move(model));
  } else {
    schema_.order.push_back({TopKind::Model, schema_.models.size()});
    schema_.models.push_back(std::move(model));
  }
  return true;
}

// The lines of a block up to its closing brace; false when the input ends
// first. `parse_line(token, line)` parses one declaration line starting at
// `token`; a line it rejects becomes one error with `rejected_message`.
template <typename ParseLine>
bool Parser::parse_body(std::vector<Member>& members, std::optional<std::string>& pending_doc,
                        const std::string& rejected_message, ParseLine&& parse_line) {
  for (;;) {
    std::uint32_t begin = lexer_.skip_spaces();
    Token token = lexer_.peek();
    switch (token.kind) {
      case Tok::End:
        return false;
      case Tok::RBrace:
        lexer_.next();
        return true;
      case Tok::Newline:
        lexer_.next();
        record_empty(members);
        continue;
      case Tok::Comment:
      case Tok::DocComment:
      case Tok::BlockComment:
        pending_doc = parse_comments(members);
        continue;
      default:
        break;
    }
    std::size_t diagnostics_before = diagnostics_.size();
    Member line;
    if (parse_line(token, line)) {
      if (layout_ != nullptr) members.push_back(std::move(line));
      continue;
    }
    diagnostics_.resize(diagnostics_before);
    Span rejected = catch_all_line(begin);
    error(rejected_message, rejected);
    record_catch_all(members, rejected);
  }
}

bool Parser::parse_model_body(Model& model, std::vector<Member>& members) {
  // Room for one field per line up to the next `}`, so that the fields are
  // not moved each time the vector grows (a hint: a `}` in a string or a
  // comment only makes it small).
  std::string_view rest = lexer_.text().substr(lexer_.pos());
  rest = rest.substr(0, rest.find('}'));
  model.fields.reserve(static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '\n')));
  std::optional<std::string> pending_doc;
  return parse_body(members, pending_doc,
                    "Error validating: This line is not a valid field or attribute definition.",
                    [&](const Token& token, Member& line) {
                      if (token.kind == Tok::AtAt) return parse_block_attribute(model.attributes, line);
                      return is_identifier(token) && parse_field(model, pending_doc, line);
                    });
}

bool Parser::parse_enum_body(Enum& value, std::vector<Member>& members) {
  std::optional<std::string> pending_doc;
  return parse_body(members, pending_doc, "Error validating: This line is not an enum value definition.",
                    [&](const Token& token, Member& line) {
                      if (token.kind == Tok::AtAt) return parse_block_attribute(value.attributes, line);
                      return is_identifier(token) && parse_enum_value(value, pending_doc, line);
                    });
}

bool Parser::parse_config_body(ConfigBlock& block, std::vector<Member>& members) {
  // Prisma takes a configuration block's documentation from the last comment
  // block inside it, not from the comments above it.
  std::optional<std::string> last_doc;
  std::string rejected = std::string("Error validating: This line is not a valid definition within a ") +
                         (block.kind == ConfigKind::Datasource ? "datasource." : "generator.");
  bool closed = parse_body(members, last_doc, rejected, [&](const Token& token, Member& line) {
    return is_identifier(token) && parse_property(block, line);
  });
  block.documentation = std::move(last_doc);
  return closed;
}

// `type Name = Base @attr...`: recognised only to be rejected, as Prisma does.
bool Parser::parse_type_alias() {
  std::uint32_t begin = lexer_.pos();
  Token word = lexer_.next();
  std::uint32_t keyword_end = word.begin + 4;
  if (word.end == keyword_end) {
    if (!is_identifier(lexer_.next())) return false;
  } else if (!is_name_start(lexer_.text()[keyword_end]) || text(word).find('.') != std::string_view::npos) {
    return false;
  }
  if (lexer_.next().kind != Tok::Equals) return false;
  std::size_t diagnostics_before = diagnostics_.size();
  FieldType base;
  if (!parse_base_type(base)) return false;
  for (;;) {
    std::uint32_t at = lexer_.pos();
    if (lexer_.next().kind != Tok::At) {
      lexer_.reset(at);
      break;
    }
    lexer_.reset(at);
    Attribute attribute;
    if (!parse_attribute(attribute)) {
      lexer_.reset(at);
      break;
    }
  }
  diagnostics_.resize(diagnostics_before);
  error(kTypeAlias, span(begin, lexer_.pos()));
  record_raw(begin, lexer_.pos());
  return true;
}

// `name { ... }` with an unknown keyword: one error for the whole block.
bool Parser::parse_arbitrary_block() {
  std::uint32_t begin = lexer_.pos();
  if (!is_identifier(lexer_.next())) return false;
  if (lexer_.next().kind != Tok::LBrace) return false;
  lexer_.skip_to_line_end();
  if (!lexer_.eat_newline()) return false;
  std::string_view rest = lexer_.text().substr(lexer_.pos());
  std::size_t close = rest.find('}');
  if (close == std::string_view::npos) return false;
  lexer_.reset(lexer_.pos() + static_cast<std::uint32_t>(close) + 1);
  error(kArbitraryBlock, span(begin, lexer_.pos()));
  record_raw(begin, lexer_.pos());
  return true;
}

}  // namespace soulstone::psl::detail
