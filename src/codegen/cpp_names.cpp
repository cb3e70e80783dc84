// How schema names become C++ identifiers and literals.

#include <algorithm>
#include <array>
#include <cctype>

#include "codegen/plan.hpp"

namespace soulstone::codegen {

namespace {

// C++20 keywords and alternative tokens, macros that the standard library
// or glibc define (a field named `errno` or `NULL` would not compile), and
// names the generated code itself uses unqualified.
constexpr std::array kReserved = {
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "auto",
    "bitand",
    "bitor",
    "bool",
    "break",
    "case",
    "catch",
    "char",
    "char8_t",
    "char16_t",
    "char32_t",
    "class",
    "compl",
    "concept",
    "const",
    "consteval",
    "constexpr",
    "constinit",
    "const_cast",
    "continue",
    "co_await",
    "co_return",
    "co_yield",
    "decltype",
    "default",
    "delete",
    "do",
    "double",
    "dynamic_cast",
    "else",
    "enum",
    "explicit",
    "export",
    "extern",
    "false",
    "float",
    "for",
    "friend",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "public",
    "register",
    "reinterpret_cast",
    "requires",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "static_assert",
    "static_cast",
    "struct",
    "switch",
    "template",
    "this",
    "thread_local",
    "throw",
    "true",
    "try",
    "typedef",
    "typeid",
    "typename",
    "union",
    "unsigned",
    "using",
    "virtual",
    "void",
    "volatile",
    "wchar_t",
    "while",
    "xor",
    "xor_eq",
    "final",
    "override",
    "import",
    "module",
    // macros
    "NULL",
    "EOF",
    "errno",
    "assert",
    "stdin",
    "stdout",
    "stderr",
    "linux",
    "unix",
    "major",
    "minor",
    "makedev",
    "BUFSIZ",
    "FILENAME_MAX",
    "EXIT_SUCCESS",
    "EXIT_FAILURE",
    "RAND_MAX",
    "INFINITY",
    "NAN",
    "CHAR_BIT",
    "INT_MAX",
    "INT_MIN",
    "SIZE_MAX",
    "DOMAIN",
    "OVERFLOW",
    "UNDERFLOW",
    "offsetof",
    "setjmp",
    "va_arg",
    // namespaces the generated code names
    "std",
    "soulstone",
    "nlohmann",
    // members of every where-input
    "AND",
    "OR",
    "NOT",
};

}  // namespace

std::string cpp_identifier(std::string_view name) {
  bool reserved = std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
  // Identifiers with a double underscore, or an underscore and a capital
  // letter at the start, belong to the implementation.
  reserved = reserved || name.find("__") != std::string_view::npos ||
             (name.size() > 1 && name[0] == '_' && std::isupper(static_cast<unsigned char>(name[1])) != 0);
  std::string out(name);
  if (reserved) out += '_';
  return out;
}

std::string cpp_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string sql_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string lower_first(std::string_view name) {
  std::string out(name);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

std::string pascal_join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    bool upper = true;
    for (char c : word) {
      if (c == '_') {
        upper = true;
        continue;
      }
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

}  // namespace soulstone::codegen
