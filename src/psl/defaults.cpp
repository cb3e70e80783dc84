// @default(...): the value must suit the field's type, and functions
// (now(), uuid(), autoincrement()...) the types they produce.

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

bool is_digits(std::string_view s, std::size_t n) {
  if (s.size() < n) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// RFC 3339 date-time: 2024-01-31T12:00:00(.123)?(Z|+01:00).
bool is_rfc3339(std::string_view s) {
  if (!is_digits(s, 4) || s.size() < 20 || s[4] != '-' || !is_digits(s.substr(5), 2) || s[7] != '-' ||
      !is_digits(s.substr(8), 2) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !is_digits(s.substr(11), 2) || s[13] != ':' || !is_digits(s.substr(14), 2) || s[16] != ':' ||
      !is_digits(s.substr(17), 2))
    return false;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
      ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return false;
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  std::string_view zone = s.substr(i + 1);
  return zone.size() == 5 && is_digits(zone, 2) && zone[2] == ':' && is_digits(zone.substr(3), 2);
}

// A JSON recogniser that explains a failure as serde_json (Prisma's parser)
// does: "key must be a string at line 1 column 2".
class Json {
 public:
  explicit Json(std::string_view s) : s_(s) {}
  // Empty when valid, else the reason.
  std::string check() {
    space();
    if (!value(0)) return error_;
    space();
    if (i_ != s_.size()) fail("trailing characters");
    return error_;
  }

 private:
  std::string where(std::size_t at) const {
    std::size_t line = 1;
    std::size_t column = 0;
    for (std::size_t k = 0; k < at && k < s_.size(); ++k) {
      if (s_[k] == '\n') {
        ++line;
        column = 0;
      } else {
        ++column;
      }
    }
    return " at line " + std::to_string(line) + " column " + std::to_string(column);
  }
  // At the offending character (serde counts it), or at the end.
  bool fail(const char* message) {
    if (error_.empty()) error_ = message + where(std::min(i_ + 1, s_.size()));
    return false;
  }
  bool eof(const char* what) {
    if (error_.empty()) error_ = std::string("EOF while parsing ") + what + where(s_.size());
    return false;
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool literal(std::string_view word) {
    for (char c : word) {
      if (i_ >= s_.size()) return eof("a value");
      if (s_[i_] != c) return fail("expected ident");
      ++i_;
    }
    return true;
  }
  bool string() {
    for (++i_; i_ < s_.size(); ++i_) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("control character (\\u0000-\\u001F) found while parsing a string");
      if (c == '\\') ++i_;
    }
    return eof("a string");
  }
  bool number() {
    if (s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) return eof("a value");
    if (!std::isdigit(static_cast<unsigned char>(s_[i_]))) return fail("invalid number");
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
      ++i_;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size()) return eof("a value");
      if (!std::isdigit(static_cast<unsigned char>(s_[i_]))) return fail("invalid number");
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size()) return eof("a value");
      if (!std::isdigit(static_cast<unsigned char>(s_[i_]))) return fail("invalid number");
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
        ++i_;
    }
    return true;
  }
  bool container(int depth, bool object) {
    const char* what = object ? "an object" : "a list";
    char close = object ? '}' : ']';
    ++i_;
    space();
    if (i_ >= s_.size()) return eof(what);
    if (s_[i_] == close) {
      ++i_;
      return true;
    }
    for (;;) {
      if (object) {
        if (i_ >= s_.size()) return eof(what);
        if (s_[i_] != '"') return fail("key must be a string");
        if (!string()) return false;
        space();
        if (i_ >= s_.size()) return eof(what);
        if (s_[i_] != ':') return fail("expected `:`");
        ++i_;
        space();
      }
      if (!value(depth + 1)) return false;
      space();
      if (i_ >= s_.size()) return eof(what);
      if (s_[i_] == close) {
        ++i_;
        return true;
      }
      if (s_[i_] != ',') return fail(object ? "expected `,` or `}`" : "expected `,` or `]`");
      ++i_;
      space();
      if (i_ < s_.size() && s_[i_] == close) return fail("trailing comma");
    }
  }
  bool value(int depth) {
    if (i_ >= s_.size()) return eof("a value");
    if (depth > 127) return fail("recursion limit exceeded");
    switch (s_[i_]) {
      case '{':
        return container(depth, true);
      case '[':
        return container(depth, false);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (s_[i_] == '-' || std::isdigit(static_cast<unsigned char>(s_[i_]))) return number();
        return fail("expected value");
    }
  }
  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

bool is_base64(std::string_view s) {
  std::size_t padding = 0;
  for (char c : s) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return false;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return padding <= 2 && (s.size() % 4 == 0);
}

std::string type_name(const Validation& v, const Field& field) {
  if (field.type.kind == TypeKind::Enum) return v.schema.enums[field.type.target].name;
  return field.type.name;
}

class DefaultCheck {
 public:
  DefaultCheck(Validation& v, const Field& field, Arguments& args) : v_(v), field_(field), args_(args) {}

  void value(const Expression& e) {
    if (e.is_function()) return function(e);
    if (field_.type.kind == TypeKind::Enum) {
      const Enum& target = v_.schema.enums[field_.type.target];
      if (!e.is_constant()) return expected("an enum", e);  // (wording unverified)
      if (target.value(e.value) == nullptr)
        args_.attribute_error("The defined default value `" + e.value +
                              "` is not a valid value of the enum specified for the field.");
      return;
    }
    if (field_.type.kind != TypeKind::Scalar) return;
    switch (field_.type.scalar) {
      case ScalarType::String:
        if (!e.is_string()) expected("a String", e);
        return;
      case ScalarType::Int:
      case ScalarType::BigInt:
        if (!e.is_number()) return expected("a " + field_.type.name, e);
        if (e.value.find('.') != std::string::npos)
          args_.attribute_error("Parse error: \"" + e.value +
                                "\" is not a valid integer. (invalid digit found in string)");
        return;
      case ScalarType::Float:
      case ScalarType::Decimal:
        if (!e.is_number()) expected("a " + field_.type.name, e);
        return;
      case ScalarType::Boolean:
        if (!e.is_constant() || (e.value != "true" && e.value != "false")) expected("a Boolean", e);
        return;
      case ScalarType::DateTime:
        if (!e.is_string()) return expected("a DateTime", e);
        if (!is_rfc3339(e.value))
          args_.attribute_error(
              "Parse error: \"" + e.value +
              "\" is not a valid rfc3339 datetime string. (input contains invalid characters)");
        return;
      case ScalarType::Json:
        if (!e.is_string()) return expected("a Json", e);
        if (std::string why = Json(e.value).check(); !why.empty())
          args_.attribute_error("Parse error: \"" + e.value + "\" is not a valid JSON string. (" + why + ")");
        return;
      case ScalarType::Bytes:
        if (!e.is_string()) return expected("a Bytes", e);
        if (!is_base64(e.value))
          args_.attribute_error("Parse error: \"" + e.value +
                                "\" is not a valid base64 string. (invalid base64)");
        return;
    }
  }

 private:
  void expected(const std::string& what, const Expression& e) {
    args_.attribute_error("Expected " + what + " value, but found `" + e.to_source() + "`.");
  }

  bool scalar_is(std::initializer_list<ScalarType> types) const {
    if (field_.type.kind != TypeKind::Scalar) return false;
    for (ScalarType t : types) {
      if (field_.type.scalar == t) return true;
    }
    return false;
  }

  void wrong_type(const Expression& e) {
    args_.attribute_error("The function `" + e.value + "()` cannot be used on fields of type `" +
                          type_name(v_, field_) + "`.");
  }

  void function(const Expression& e) {
    const std::string& name = e.value;
    const auto& arguments = e.arguments;
    if (name == "dbgenerated") {
      if (arguments.size() > 1 ||
          (arguments.size() == 1 && (!arguments[0].value.is_string() || arguments[0].value.value.empty())))
        args_.attribute_error(
            "`dbgenerated()` takes either no argument, or a single nonempty string argument.");
      return;
    }
    if (name == "autoincrement" || name == "sequence") {
      if (!scalar_is({ScalarType::Int, ScalarType::BigInt})) wrong_type(e);
      return;
    }
    if (name == "now") {
      if (!scalar_is({ScalarType::DateTime})) wrong_type(e);
      return;
    }
    if (name == "uuid" || name == "cuid" || name == "nanoid" || name == "ulid") {
      if (!scalar_is({ScalarType::String})) return wrong_type(e);
      if (name == "uuid" &&
          !(arguments.empty() ||
            (arguments.size() == 1 && (arguments[0].value.value == "4" || arguments[0].value.value == "7"))))
        args_.attribute_error(
            "`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.");
      if (name == "cuid" &&
          !(arguments.empty() ||
            (arguments.size() == 1 && (arguments[0].value.value == "1" || arguments[0].value.value == "2"))))
        args_.attribute_error(
            "`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.");
      return;
    }
    // Other functions are reported once the schema is otherwise valid, as
    // Prisma's connector does ("Unknown function in @default()").
  }

  Validation& v_;
  const Field& field_;
  Arguments& args_;
};

}  // namespace

void check_field_default(Validation& v, const Model& model, const Field& field, Arguments& args) {
  (void)model;
  const Expression* value = args.default_arg("value");
  if (auto map = args.string(args.optional("map")); map && map->empty())
    args.attribute_error("The `map` argument cannot be an empty string.");
  if (value == nullptr) return;
  DefaultCheck check(v, field, args);
  if (field.is_list()) {
    if (value->is_function()) return check.value(*value);
    if (!value->is_array()) return args.attribute_error("The default value of a list field must be a list.");
    for (const Expression& item : value->items)
      check.value(item);
    return;
  }
  if (value->is_array()) {
    args.attribute_error("The default value of a non-list field cannot be a list.");  // (wording unverified)
    return;
  }
  check.value(*value);
}

// Functions Prisma knows in @default on PostgreSQL.
bool known_default_function(std::string_view name) {
  static const std::set<std::string_view> kKnown = {"dbgenerated", "autoincrement", "sequence", "now",
                                                    "uuid",        "cuid",          "nanoid",   "ulid"};
  return kKnown.count(name) > 0;
}

}  // namespace soulstone::psl::detail
