// Column defaults as PostgreSQL prints them, read the way Prisma's describer
// reads them: a small tokenizer and one parser per type family. What does not
// parse as a known form becomes DbGenerated with the text as printed.

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "model/introspect.hpp"

namespace soulstone::model {

namespace {

enum class Tok {
  Space,
  Ident,
  Quoted,
  String,
  CString,
  Digits,
  Minus,
  Dot,
  Comma,
  Open,
  Close,
  OpenSq,
  CloseSq,
  Cast,
  Other
};

struct Token {
  Tok kind;
  std::string_view text;
};

std::vector<Token> tokenize(std::string_view in) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto push = [&](Tok kind, std::size_t end) {
    out.push_back({kind, in.substr(i, end - i)});
    i = end;
  };
  auto quoted_end = [&](std::size_t start, char quote, bool backslash) {
    std::size_t j = start + 1;
    while (j < in.size()) {
      if (backslash && in[j] == '\\' && j + 1 < in.size()) {
        j += 2;
        continue;
      }
      if (in[j] == quote) {
        if (j + 1 < in.size() && in[j + 1] == quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return in.size();
  };
  while (i < in.size()) {
    char c = in[i];
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      std::size_t j = i;
      while (j < in.size() && std::isspace(static_cast<unsigned char>(in[j])))
        ++j;
      push(Tok::Space, j);
    } else if ((c == 'E' || c == 'e') && i + 1 < in.size() && in[i + 1] == '\'') {
      push(Tok::CString, quoted_end(i + 1, '\'', true));
    } else if (std::isalpha(u) || c == '_' || u >= 0x80) {
      std::size_t j = i;
      while (j < in.size()) {
        auto v = static_cast<unsigned char>(in[j]);
        if (!(std::isalnum(v) || in[j] == '_' || in[j] == '$' || v >= 0x80)) break;
        ++j;
      }
      push(Tok::Ident, j);
    } else if (std::isdigit(u)) {
      std::size_t j = i;
      while (j < in.size() && std::isdigit(static_cast<unsigned char>(in[j])))
        ++j;
      push(Tok::Digits, j);
    } else if (c == '\'') {
      push(Tok::String, quoted_end(i, '\'', false));
    } else if (c == '"') {
      push(Tok::Quoted, quoted_end(i, '"', false));
    } else if (c == ':' && i + 1 < in.size() && in[i + 1] == ':') {
      push(Tok::Cast, i + 2);
    } else {
      Tok kind = c == '-'   ? Tok::Minus
                 : c == '.' ? Tok::Dot
                 : c == ',' ? Tok::Comma
                 : c == '(' ? Tok::Open
                 : c == ')' ? Tok::Close
                 : c == '[' ? Tok::OpenSq
                 : c == ']' ? Tok::CloseSq
                            : Tok::Other;
      push(kind, i + 1);
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

class Parser {
 public:
  explicit Parser(std::string_view input) : tokens_(tokenize(input)) {}

  [[nodiscard]] std::optional<Tok> peek() const {
    std::size_t i = skip(pos_);
    if (i >= tokens_.size()) return std::nullopt;
    return tokens_[i].kind;
  }
  std::optional<std::string_view> expect(Tok kind) {
    std::size_t i = skip(pos_);
    if (i >= tokens_.size() || tokens_[i].kind != kind) return std::nullopt;
    pos_ = i + 1;
    return tokens_[i].text;
  }
  std::optional<Tok> next() {
    std::size_t i = skip(pos_);
    if (i >= tokens_.size()) return std::nullopt;
    pos_ = i + 1;
    return tokens_[i].kind;
  }
  [[nodiscard]] bool finished() const { return skip(pos_) >= tokens_.size(); }

 private:
  [[nodiscard]] std::size_t skip(std::size_t i) const {
    while (i < tokens_.size() && tokens_[i].kind == Tok::Space)
      ++i;
    return i;
  }
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

// `::type name(precision)[]`; true also when there is no cast at all.
bool eat_cast(Parser& p) {
  if (p.peek() != Tok::Cast) return true;
  (void)p.expect(Tok::Cast);
  while (p.peek() == Tok::Quoted || p.peek() == Tok::Ident || p.peek() == Tok::Dot)
    (void)p.next();
  if (p.peek() == Tok::Open) {
    for (;;) {
      auto t = p.next();
      if (!t) return false;
      if (*t == Tok::Close) break;
    }
  }
  if (p.peek() == Tok::OpenSq) {
    (void)p.expect(Tok::OpenSq);
    if (!p.expect(Tok::CloseSq)) return false;
  }
  return true;
}

std::string unescape_plain(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    out += quoted[i];
    if (quoted[i] == '\'' && quoted[i + 1] == '\'') ++i;
  }
  return out;
}

std::string unescape_c(std::string_view quoted) {  // E'...'
  std::string out;
  for (std::size_t i = 2; i + 1 < quoted.size(); ++i) {
    char c = quoted[i];
    if (c == '\'' && quoted[i + 1] == '\'') {
      out += '\'';
      ++i;
    } else if (c == '\\' && i + 2 < quoted.size()) {
      char n = quoted[++i];
      out += n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n == 'b' ? '\b' : n == 'f' ? '\f' : n;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> string_value(Parser& p) {
  std::string out;
  if (auto s = p.expect(Tok::String))
    out = unescape_plain(*s);
  else if (auto c = p.expect(Tok::CString))
    out = unescape_c(*c);
  else
    return std::nullopt;
  if (!eat_cast(p)) return std::nullopt;
  return out;
}

Default value_default(Value::Kind kind, std::string text) {
  return Default{.kind = Default::Kind::Value, .value = Value{kind, std::move(text), {}}, .text = {}};
}

std::optional<Default> parse_string(Parser& p) {
  auto s = string_value(p);
  if (!s) return std::nullopt;
  return value_default(Value::Kind::String, std::move(*s));
}

std::optional<std::string> unquote_identifier(Parser& p) {
  if (auto q = p.expect(Tok::Quoted)) return std::string(q->substr(1, q->size() - 2));
  if (auto i = p.expect(Tok::Ident)) return std::string(*i);
  return std::nullopt;
}

std::optional<Default> parse_int(Parser& p) {
  auto tok = p.peek();
  if (!tok) return std::nullopt;
  if (*tok == Tok::Digits) return value_default(Value::Kind::Int, std::string(*p.expect(Tok::Digits)));
  if (*tok == Tok::Minus) {
    (void)p.expect(Tok::Minus);
    auto digits = p.expect(Tok::Digits);
    if (!digits) return std::nullopt;
    return value_default(Value::Kind::Int, "-" + std::string(*digits));
  }
  if (*tok == Tok::String) {
    auto s = string_value(p);
    if (!s || s->empty()) return std::nullopt;
    std::size_t start = (*s)[0] == '-' ? 1 : 0;
    if (start == s->size() || s->find_first_not_of("0123456789", start) != std::string::npos)
      return std::nullopt;
    return value_default(Value::Kind::Int, *s);
  }
  if (*tok != Tok::Ident) return std::nullopt;
  auto name = *p.expect(Tok::Ident);
  if (!iequals(name, "nextval") || !p.expect(Tok::Open)) return std::nullopt;
  if (p.peek() == Tok::Open) (void)p.expect(Tok::Open);
  auto sequence_text = string_value(p);
  if (!sequence_text) return std::nullopt;
  Parser inner(*sequence_text);
  auto first = unquote_identifier(inner);
  if (!first) return std::nullopt;
  std::string sequence = *first;
  if (inner.peek() == Tok::Dot) {
    (void)inner.expect(Tok::Dot);
    auto second = unquote_identifier(inner);
    if (!second) return std::nullopt;
    sequence = *second;
  }
  for (;;) {
    auto t = p.next();
    if (!t) return std::nullopt;
    if (*t == Tok::Close) break;
  }
  if (!eat_cast(p)) return std::nullopt;
  if (p.peek() == Tok::Close) (void)p.expect(Tok::Close);
  if (!eat_cast(p)) return std::nullopt;
  return Default{.kind = Default::Kind::Sequence, .value = {}, .text = sequence};
}

std::optional<Default> parse_float_inner(Parser& p) {
  bool open = false;
  if (p.peek() == Tok::Open) {
    (void)p.expect(Tok::Open);
    open = true;
  } else if (p.peek() == Tok::String || p.peek() == Tok::CString) {
    auto s = string_value(p);
    if (!s) return std::nullopt;
    Parser inner(*s);
    return parse_float_inner(inner);
  }
  std::string number;
  if (p.peek() == Tok::Minus) {
    (void)p.expect(Tok::Minus);
    number = "-";
  }
  auto integer = p.expect(Tok::Digits);
  if (!integer) return std::nullopt;
  number += *integer;
  if (p.peek() == Tok::Dot) {
    (void)p.expect(Tok::Dot);
    auto fraction = p.expect(Tok::Digits);
    if (!fraction) return std::nullopt;
    number += "." + std::string(*fraction);
  }
  if (open && !p.expect(Tok::Close)) return std::nullopt;
  return value_default(Value::Kind::Float, number);
}

std::optional<Default> parse_float(Parser& p) {
  auto value = parse_float_inner(p);
  if (!value || !eat_cast(p)) return std::nullopt;
  return value;
}

std::optional<Default> parse_bool(Parser& p) {
  auto word = p.expect(Tok::Ident);
  if (!word) return std::nullopt;
  if (iequals(*word, "t") || iequals(*word, "true")) return value_default(Value::Kind::Boolean, "true");
  if (iequals(*word, "f") || iequals(*word, "false")) return value_default(Value::Kind::Boolean, "false");
  return std::nullopt;
}

std::optional<Default> parse_datetime(Parser& p) {
  auto name = p.expect(Tok::Ident);
  if (!name) return std::nullopt;
  if (p.peek() == Tok::Open) {
    (void)p.expect(Tok::Open);
    if (!p.expect(Tok::Close)) return std::nullopt;
  }
  if (!eat_cast(p)) return std::nullopt;
  if (iequals(*name, "now") || iequals(*name, "current_timestamp"))
    return Default{.kind = Default::Kind::Now, .value = {}, .text = {}};
  return std::nullopt;
}

std::optional<Default> parse_enum(Parser& p) {
  if (auto word = p.expect(Tok::Ident)) {
    if (!eat_cast(p)) return std::nullopt;
    return value_default(Value::Kind::Enum, std::string(*word));
  }
  auto s = string_value(p);
  if (!s || !eat_cast(p)) return std::nullopt;
  return value_default(Value::Kind::Enum, std::move(*s));
}

std::optional<Default> parse_binary(Parser& p) {
  auto s = string_value(p);
  if (!s || s->size() < 2 || (*s)[0] != '\\' || (*s)[1] != 'x' || s->size() % 2 != 0) return std::nullopt;
  std::string hex;
  for (std::size_t i = 2; i < s->size(); ++i) {
    auto c = static_cast<unsigned char>((*s)[i]);
    if (!std::isxdigit(c)) return std::nullopt;
    hex += static_cast<char>(std::tolower(c));
  }
  return value_default(Value::Kind::Bytes, hex);
}

using ParseFn = std::optional<Default> (*)(Parser&);

ParseFn parser_for(Family family) {
  switch (family) {
    case Family::String:
    case Family::Json:
      return parse_string;
    case Family::Int:
    case Family::BigInt:
      return parse_int;
    case Family::Enum:
      return parse_enum;
    case Family::Float:
    case Family::Decimal:
      return parse_float;
    case Family::Boolean:
      return parse_bool;
    case Family::DateTime:
      return parse_datetime;
    case Family::Binary:
      return parse_binary;
    default:
      return nullptr;
  }
}

// `'{a,b}'` (PostgreSQL's array literal) for simple element types.
std::optional<std::vector<Value>> parse_array_literal(std::string_view text, Family family) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::vector<Value> values;
  std::string_view body = text.substr(1, text.size() - 2);
  std::size_t i = 0;
  while (i < body.size()) {
    std::string element;
    bool quoted = body[i] == '"';
    if (quoted) {
      ++i;
      while (i < body.size() && body[i] != '"') {
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        element += body[i++];
      }
      ++i;
    } else {
      while (i < body.size() && body[i] != ',')
        element += body[i++];
    }
    if (i < body.size() && body[i] == ',') ++i;
    switch (family) {
      case Family::String:
        values.push_back({Value::Kind::String, element, {}});
        break;
      case Family::Enum:
        values.push_back({Value::Kind::Enum, element, {}});
        break;
      case Family::Int:
      case Family::BigInt:
        values.push_back({Value::Kind::Int, element, {}});
        break;
      case Family::Float:
      case Family::Decimal:
        values.push_back({Value::Kind::Float, element, {}});
        break;
      case Family::Boolean:
        values.push_back({Value::Kind::Boolean, element == "t" || element == "true" ? "true" : "false", {}});
        break;
      default:
        return std::nullopt;
    }
  }
  return values;
}

std::optional<std::vector<Value>> parse_array_constructor(Parser& p, Family family) {
  ParseFn element = parser_for(family);
  if (element == nullptr) return std::nullopt;
  (void)p.expect(Tok::Open);
  auto keyword = p.expect(Tok::Ident);
  if (!keyword || !iequals(*keyword, "array") || !p.expect(Tok::OpenSq)) return std::nullopt;
  std::vector<Value> values;
  for (;;) {
    auto tok = p.peek();
    if (!tok) return std::nullopt;
    if (*tok == Tok::CloseSq) {
      (void)p.expect(Tok::CloseSq);
      break;
    }
    auto value = element(p);
    if (!value || value->kind != Default::Kind::Value) return std::nullopt;
    values.push_back(std::move(value->value));
    auto sep = p.next();
    if (!sep) return std::nullopt;
    if (*sep == Tok::CloseSq) break;
    if (*sep != Tok::Comma) return std::nullopt;
  }
  return values;
}

}  // namespace

std::optional<Default> parse_default(std::string_view expression, const ColumnType& type) {
  std::size_t first = expression.find_first_not_of(" \t\n");
  if (first != std::string_view::npos && expression.substr(first).rfind("NULL", 0) == 0) return std::nullopt;
  Default generated{.kind = Default::Kind::DbGenerated, .value = {}, .text = std::string(expression)};
  Parser p(expression);
  if (type.arity == Arity::List) {
    std::optional<std::vector<Value>> values;
    if (p.peek() == Tok::String || p.peek() == Tok::CString) {
      if (auto literal = string_value(p)) values = parse_array_literal(*literal, type.family);
    } else if (p.peek() == Tok::Ident || p.peek() == Tok::Open) {
      values = parse_array_constructor(p, type.family);
      if (values) (void)eat_cast(p);
    }
    if (!values) return generated;
    return Default{
        .kind = Default::Kind::Value, .value = Value{Value::Kind::List, {}, std::move(*values)}, .text = {}};
  }
  ParseFn parse = parser_for(type.family);
  if (parse == nullptr) return generated;
  auto parsed = parse(p);
  if (!parsed || !p.finished()) return generated;
  return parsed;
}

}  // namespace soulstone::model
