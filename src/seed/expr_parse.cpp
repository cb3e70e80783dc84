// A recursive-descent parser for rule expressions. Precedence, loosest
// first: or, and, not, comparisons, + -, * / %, unary minus.

#include <cctype>

#include "base/error.hpp"
#include "seed/expr.hpp"

namespace soulstone::seed {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Ast parse() {
    Ast ast = disjunction();
    skip_space();
    if (pos_ < text_.size()) fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return ast;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::Input, "column " + std::to_string(pos_ + 1) + ": " + what);
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n'))
      ++pos_;
  }

  bool is_word_char(char c) const { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  // Consumes `word` when it is next as a whole word (or as the operator).
  bool accept(std::string_view word) {
    skip_space();
    if (text_.substr(pos_, word.size()) != word) return false;
    std::size_t end = pos_ + word.size();
    if (is_word_char(word.back()) && end < text_.size() && is_word_char(text_[end])) return false;
    // '<' must not eat the start of '<='.
    if ((word == "<" || word == ">") && end < text_.size() && text_[end] == '=') return false;
    pos_ = end;
    return true;
  }

  Ast binary(std::string op, Ast left, Ast right, std::size_t column) {
    Ast ast{.kind = Ast::Kind::Binary, .text = std::move(op), .column = column};
    ast.args.push_back(std::move(left));
    ast.args.push_back(std::move(right));
    return ast;
  }

  Ast disjunction() {
    Ast left = conjunction();
    while (true) {
      std::size_t at = pos_ + 1;
      if (!accept("or")) return left;
      left = binary("or", std::move(left), conjunction(), at);
    }
  }

  Ast conjunction() {
    Ast left = negation();
    while (true) {
      std::size_t at = pos_ + 1;
      if (!accept("and")) return left;
      left = binary("and", std::move(left), negation(), at);
    }
  }

  Ast negation() {
    std::size_t at = pos_ + 1;
    if (accept("not")) {
      Ast ast{.kind = Ast::Kind::Unary, .text = "not", .column = at};
      ast.args.push_back(negation());
      return ast;
    }
    return comparison();
  }

  Ast comparison() {
    Ast left = additive();
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      std::size_t at = pos_ + 1;
      if (accept(op)) return binary(std::string(op), std::move(left), additive(), at);
    }
    return left;
  }

  Ast additive() {
    Ast left = multiplicative();
    while (true) {
      std::size_t at = pos_ + 1;
      if (accept("+"))
        left = binary("+", std::move(left), multiplicative(), at);
      else if (accept("-"))
        left = binary("-", std::move(left), multiplicative(), at);
      else
        return left;
    }
  }

  Ast multiplicative() {
    Ast left = unary();
    while (true) {
      std::size_t at = pos_ + 1;
      if (accept("*"))
        left = binary("*", std::move(left), unary(), at);
      else if (accept("/"))
        left = binary("/", std::move(left), unary(), at);
      else if (accept("%"))
        left = binary("%", std::move(left), unary(), at);
      else
        return left;
    }
  }

  Ast unary() {
    std::size_t at = pos_ + 1;
    if (accept("-")) {
      Ast ast{.kind = Ast::Kind::Unary, .text = "-", .column = at};
      ast.args.push_back(unary());
      return ast;
    }
    return primary();
  }

  Ast primary() {
    skip_space();
    std::size_t at = pos_ + 1;
    if (pos_ >= text_.size()) fail("the expression ends too early");
    char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      Ast inner = disjunction();
      if (!accept(")")) fail("expected ')'");
      return inner;
    }
    if (c == '\'' || c == '"') return string_literal(c, at);
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
        ++pos_;
      if (pos_ + 1 < text_.size() && text_[pos_] == '.' &&
          std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
        ++pos_;
        while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
          ++pos_;
      }
      return Ast{
          .kind = Ast::Kind::Number, .text = std::string(text_.substr(start, pos_ - start)), .column = at};
    }
    if (!is_word_char(c)) fail("unexpected '" + std::string(1, c) + "'");
    std::vector<std::string> path{identifier()};
    if (path[0] == "null") return Ast{.kind = Ast::Kind::Null, .column = at};
    if (path[0] == "true" || path[0] == "false")
      return Ast{.kind = Ast::Kind::Bool, .text = path[0], .column = at};
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      ++pos_;
      Ast call{.kind = Ast::Kind::Call, .text = path[0], .column = at};
      if (!accept(")")) {
        do
          call.args.push_back(disjunction());
        while (accept(","));
        if (!accept(")")) fail("expected ',' or ')' in the arguments of " + path[0] + "()");
      }
      return call;
    }
    while (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (pos_ >= text_.size() || !is_word_char(text_[pos_])) fail("expected a field name after '.'");
      path.push_back(identifier());
    }
    return Ast{.kind = Ast::Kind::Path, .path = std::move(path), .column = at};
  }

  std::string identifier() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_word_char(text_[pos_]))
      ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }

  Ast string_literal(char quote, std::size_t at) {
    ++pos_;
    std::string text;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      text.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return Ast{.kind = Ast::Kind::String, .text = std::move(text), .column = at};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Ast parse_expression(std::string_view text) { return Parser(text).parse(); }

}  // namespace soulstone::seed
