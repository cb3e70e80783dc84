// One-line declarations inside blocks: fields, enum values, block
// attributes, configuration properties, and the comments around them.

#include <algorithm>
#include <utility>

#include "psl/parser.hpp"

namespace soulstone::psl::detail {

namespace {

bool is_comment(Tok kind) {
  return kind == Tok::Comment || kind == Tok::DocComment || kind == Tok::BlockComment;
}

std::string_view trim_start(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\f' || s.front() == '\v'))
    s.remove_prefix(1);
  return s;
}

std::string_view trim(std::string_view s) {
  s = trim_start(s);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\f' || s.back() == '\v'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  return trim_start(s);
}

}  // namespace

void append_doc(std::optional<std::string>& doc, std::string_view line) {
  if (doc) {
    *doc += '\n';
    *doc += line;
  } else {
    doc = std::string(line);
  }
}

std::optional<std::string> comment_doc(Tok kind, std::string_view text) {
  if (kind == Tok::DocComment) return std::string(trim_start(text.substr(3)));
  if (kind == Tok::BlockComment) return std::string(trim(text.substr(2, text.size() - 4)));
  return std::nullopt;
}

std::optional<std::string> Parser::parse_comment_block(std::vector<Range>* ranges) {
  std::optional<std::string> doc;
  for (;;) {
    std::uint32_t at = lexer_.skip_spaces();
    Token token = lexer_.next();
    if (!is_comment(token.kind)) {
      lexer_.reset(at);
      return doc;
    }
    if (auto line = comment_doc(token.kind, text(token))) append_doc(doc, *line);
    if (ranges != nullptr) ranges->push_back({token.begin, token.end});
    lexer_.eat_newline();
  }
}

std::optional<std::string> Parser::parse_comments(std::vector<Member>& members) {
  if (layout_ == nullptr) return parse_comment_block();
  Member member;
  member.kind = MemberKind::Comments;
  std::optional<std::string> doc = parse_comment_block(&member.comments);
  members.push_back(std::move(member));
  return doc;
}

bool Parser::parse_line_end(std::optional<std::string>& doc, Range& trailing) {
  Token token = lexer_.next();
  if (is_comment(token.kind)) {
    if (auto line = comment_doc(token.kind, text(token))) append_doc(doc, *line);
    trailing = {token.begin, token.end};
    token = lexer_.next();
  }
  return token.kind == Tok::Newline;
}

bool Parser::parse_base_type(FieldType& type) {
  Token token = lexer_.next();
  if (!is_identifier(token)) return false;
  type.name = std::string(text(token));
  type.span = span(token.begin, token.end);
  std::string_view source = lexer_.text();
  if (type.name == "Unsupported" && token.end < source.size() && source[token.end] == '(') {
    lexer_.reset(token.end + 1);
    Expression literal;
    Token string = lexer_.peek();
    if (string.kind != Tok::String || !parse_expression(literal)) return false;
    if (lexer_.next().kind != Tok::RParen) return false;
    type.unsupported = std::move(literal.value);
    type.span = span(token.begin, lexer_.pos());
  }
  return true;
}

bool Parser::parse_field_type(FieldType& type, std::string& legacy_error, Span& legacy_span, Member& line) {
  std::uint32_t begin = lexer_.skip_spaces();
  if (lexer_.peek().kind == Tok::LBracket) {
    lexer_.next();
    if (!parse_base_type(type)) return false;
    line.type = {type.span.begin.offset, type.span.end.offset};
    line.type_suffix = "[]";
    if (lexer_.next().kind != Tok::RBracket) return false;
    legacy_error = "To specify a list, please use `Type[]` instead of `[Type]`.";
    legacy_span = span(begin, lexer_.pos());
    return true;
  }
  if (!parse_base_type(type)) return false;
  line.type = {type.span.begin.offset, type.span.end.offset};
  std::uint32_t after_base = lexer_.pos();
  std::string_view source = lexer_.text();
  Token next = lexer_.next();
  if (next.kind == Tok::LBracket && next.end < source.size() && source[next.end] == ']') {
    lexer_.reset(next.end + 1);
    std::uint32_t after_list = lexer_.pos();
    if (lexer_.next().kind == Tok::Question) {
      line.type_suffix = "[]?";
      legacy_error = "Optional lists are not supported. Use either `Type[]` or `Type?`.";
      legacy_span = span(begin, lexer_.pos());
      return true;
    }
    lexer_.reset(after_list);
    type.arity = Arity::List;
    line.type_suffix = "[]";
  } else if (next.kind == Tok::Question) {
    type.arity = Arity::Optional;
    line.type_suffix = "?";
  } else if (next.kind == Tok::Bang) {
    legacy_error = "Fields are required by default, `!` is no longer required.";
    legacy_span = span(begin, lexer_.pos());
    return true;
  } else {
    lexer_.reset(after_base);
  }
  type.span = span(begin, lexer_.pos());
  return true;
}

bool Parser::parse_attribute(Attribute& attribute) {
  Token sigil = lexer_.next();
  if (sigil.kind != Tok::At && sigil.kind != Tok::AtAt) return false;
  attribute.block = sigil.kind == Tok::AtAt;
  Token name = lexer_.next();
  if (name.kind != Tok::Name) return false;
  attribute.name = std::string(text(name));
  attribute.name_span = span(name.begin, name.end);
  std::uint32_t after_name = lexer_.pos();
  if (lexer_.next().kind == Tok::LParen) {
    lexer_.reset(after_name);
    attribute.has_parentheses = true;
    if (!parse_arguments(attribute.arguments, &attribute.trailing_comma)) return false;
  } else {
    lexer_.reset(after_name);
  }
  attribute.span = span(sigil.begin, lexer_.pos());
  return true;
}

// Room for as many attributes as the line has `@`s (a hint), so that they
// are not moved each time the vector grows.
void Parser::reserve_attributes(std::vector<Attribute>& attributes) {
  std::string_view rest = lexer_.text().substr(lexer_.pos());
  rest = rest.substr(0, rest.find('\n'));
  attributes.reserve(static_cast<std::size_t>(std::count(rest.begin(), rest.end(), '@')));
}

bool Parser::parse_field(Model& model, std::optional<std::string>& pending_doc, Member& line) {
  std::uint32_t begin = lexer_.pos();
  Token name = lexer_.next();
  line.kind = MemberKind::Field;
  line.name = {name.begin, name.end};
  Field field;
  field.name = std::string(text(name));
  field.name_span = span(name.begin, name.end);
  std::optional<Span> colon;
  std::uint32_t at = lexer_.pos();
  if (Token token = lexer_.next(); token.kind == Tok::Colon) {
    colon = span(token.begin, token.end);
  } else {
    lexer_.reset(at);
  }
  std::string legacy_error;
  Span legacy_span;
  at = lexer_.pos();
  bool has_type = parse_field_type(field.type, legacy_error, legacy_span, line);
  if (!has_type) {
    lexer_.reset(at);
    field.type = FieldType{};
    line.type = {};
    line.type_suffix = "";
  }
  for (;;) {
    at = lexer_.pos();
    if (lexer_.next().kind != Tok::At) {
      lexer_.reset(at);
      break;
    }
    lexer_.reset(at);
    if (field.attributes.empty()) reserve_attributes(field.attributes);
    Attribute attribute;
    if (!parse_attribute(attribute)) return false;
    if (layout_ != nullptr) line.attributes.push_back({at, lexer_.pos()});
    field.attributes.push_back(std::move(attribute));
  }
  std::optional<std::string> doc = std::move(pending_doc);
  pending_doc.reset();
  if (!parse_line_end(doc, line.trailing)) return false;
  field.span = span(begin, lexer_.pos());
  if (colon) {
    error("Field declarations don't require a `:`.", *colon);
  } else if (!legacy_error.empty()) {
    error(std::move(legacy_error), legacy_span);
  } else if (!has_type) {
    const char* container = model.kind == ModelKind::Model  ? "model"
                            : model.kind == ModelKind::View ? "view"
                                                            : "composite type";
    error(std::string("Error validating ") + container + " \"" + model.name +
              "\": This field declaration is invalid. It is either missing a name or a type.",
          field.span);
  } else {
    field.documentation = std::move(doc);
    model.fields.push_back(std::move(field));
  }
  return true;
}

bool Parser::parse_block_attribute(std::vector<Attribute>& attributes, Member& line) {
  Attribute attribute;
  line.kind = MemberKind::BlockAttribute;
  std::uint32_t begin = lexer_.pos();
  if (!parse_attribute(attribute)) return false;
  if (layout_ != nullptr) line.attributes.push_back({begin, lexer_.pos()});
  std::optional<std::string> ignored;
  if (!parse_line_end(ignored, line.trailing)) return false;
  attributes.push_back(std::move(attribute));
  return true;
}

bool Parser::parse_enum_value(Enum& value, std::optional<std::string>& pending_doc, Member& line) {
  std::uint32_t begin = lexer_.pos();
  Token name = lexer_.next();
  line.kind = MemberKind::EnumValue;
  line.name = {name.begin, name.end};
  EnumValue entry;
  entry.name = std::string(text(name));
  entry.name_span = span(name.begin, name.end);
  for (;;) {
    std::uint32_t at = lexer_.pos();
    if (lexer_.next().kind != Tok::At) {
      lexer_.reset(at);
      break;
    }
    lexer_.reset(at);
    Attribute attribute;
    if (!parse_attribute(attribute)) return false;
    if (layout_ != nullptr) line.attributes.push_back({at, lexer_.pos()});
    entry.attributes.push_back(std::move(attribute));
  }
  std::optional<std::string> doc = std::move(pending_doc);
  pending_doc.reset();
  if (!parse_line_end(doc, line.trailing)) return false;
  entry.documentation = std::move(doc);
  entry.span = span(begin, lexer_.pos());
  value.values.push_back(std::move(entry));
  return true;
}

bool Parser::parse_property(ConfigBlock& block, Member& line) {
  std::uint32_t begin = lexer_.pos();
  Token name = lexer_.next();
  line.kind = MemberKind::Property;
  line.name = {name.begin, name.end};
  ConfigProperty property;
  property.name = std::string(text(name));
  property.name_span = span(name.begin, name.end);
  if (lexer_.next().kind != Tok::Equals) return false;
  if (!parse_expression(property.value)) return false;
  line.value = {property.value.span.begin.offset, property.value.span.end.offset};
  std::optional<std::string> ignored;
  if (!parse_line_end(ignored, line.trailing)) return false;
  property.span = span(begin, lexer_.pos());
  block.properties.push_back(std::move(property));
  return true;
}

}  // namespace soulstone::psl::detail
