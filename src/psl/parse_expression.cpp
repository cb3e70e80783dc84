// Expressions and argument lists: strings, numbers, constants, function
// calls and arrays, all on one line as Prisma's grammar has them.

#include <algorithm>
#include <utility>

#include "psl/parser.hpp"

namespace soulstone::psl::detail {

bool Parser::parse_arguments(std::vector<Argument>& arguments, std::optional<Span>* trailing_comma) {
  if (lexer_.next().kind != Tok::LParen) return false;
  std::uint32_t at = lexer_.pos();
  Token token = lexer_.next();
  if (token.kind == Tok::RParen) return true;
  if (token.kind == Tok::Comma) {
    // "(,)": no argument and a trailing comma, which the grammar allows.
    if (trailing_comma != nullptr) *trailing_comma = span(token.begin, token.end);
    return lexer_.next().kind == Tok::RParen;
  }
  lexer_.reset(at);
  // Room for one argument per comma to the end of the line (a hint, capped),
  // so that arguments are not moved each time the vector grows.
  std::string_view rest = lexer_.text().substr(at);
  rest = rest.substr(0, rest.find('\n'));
  arguments.reserve(
      std::min<std::size_t>(8, 1 + static_cast<std::size_t>(std::count(rest.begin(), rest.end(), ','))));
  for (;;) {
    Argument argument;
    std::uint32_t begin = lexer_.skip_spaces();
    Token first = lexer_.next();
    bool named = false;
    if (is_identifier(first)) {
      std::uint32_t after_name = lexer_.pos();
      if (lexer_.next().kind == Tok::Colon) {
        named = true;
        argument.name = std::string(text(first));
        std::uint32_t after_colon = lexer_.pos();
        std::size_t diagnostics_before = diagnostics_.size();
        if (!parse_expression(argument.value)) {
          // `name:` with nothing after it: an empty argument.
          diagnostics_.resize(diagnostics_before);
          lexer_.reset(after_colon);
          argument.has_value = false;
          argument.value = Expression{};
        }
      } else {
        lexer_.reset(after_name);
      }
    }
    if (!named) {
      lexer_.reset(begin);
      if (!parse_expression(argument.value)) return false;
    }
    argument.span = span(begin, lexer_.pos());
    arguments.push_back(std::move(argument));
    Token separator = lexer_.next();
    if (separator.kind == Tok::RParen) return true;
    if (separator.kind != Tok::Comma) return false;
    std::uint32_t after_comma = lexer_.pos();
    if (lexer_.next().kind == Tok::RParen) {
      if (trailing_comma != nullptr) *trailing_comma = span(separator.begin, separator.end);
      return true;
    }
    lexer_.reset(after_comma);
  }
}

bool Parser::parse_array(Expression& expression) {
  Token open = lexer_.next();
  expression.kind = ExpressionKind::Array;
  std::uint32_t at = lexer_.pos();
  if (lexer_.next().kind == Tok::RBracket) {
    expression.span = span(open.begin, lexer_.pos());
    return true;
  }
  lexer_.reset(at);
  for (;;) {
    Expression item;
    if (!parse_expression(item)) return false;
    expression.items.push_back(std::move(item));
    Token separator = lexer_.next();
    if (separator.kind == Tok::RBracket) break;
    if (separator.kind != Tok::Comma) return false;
  }
  expression.span = span(open.begin, lexer_.pos());
  return true;
}

bool Parser::parse_expression(Expression& expression) {
  std::uint32_t begin = lexer_.skip_spaces();
  Token token = lexer_.peek();
  switch (token.kind) {
    case Tok::LBracket:
      return parse_array(expression);
    case Tok::Number:
      lexer_.next();
      expression.kind = ExpressionKind::Number;
      expression.value = std::string(text(token));
      expression.span = span(token.begin, token.end);
      return true;
    case Tok::String: {
      lexer_.next();
      std::string_view raw = text(token);
      std::vector<EscapeError> errors;
      expression.kind = ExpressionKind::String;
      expression.value = decode_string(raw.substr(1, raw.size() - 2), errors);
      for (const EscapeError& e : errors) {
        std::uint32_t at = token.begin + 1 + e.offset;
        error(e.message, span(at, at + e.length));
      }
      expression.span = span(token.begin, token.end);
      return true;
    }
    case Tok::Name: {
      lexer_.next();
      expression.value = std::string(text(token));
      std::uint32_t after_name = lexer_.pos();
      if (lexer_.next().kind == Tok::LParen) {
        lexer_.reset(after_name);
        expression.kind = ExpressionKind::Function;
        if (!parse_arguments(expression.arguments)) return false;
      } else {
        lexer_.reset(after_name);
        expression.kind = ExpressionKind::Constant;
      }
      expression.span = span(begin, lexer_.pos());
      return true;
    }
    default:
      return false;
  }
}

}  // namespace soulstone::psl::detail
