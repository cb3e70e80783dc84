#include "client_runtime/codec.hpp"

#include "base/error.hpp"

namespace soulstone::client {

void append_array_element(std::string& literal, std::string_view element) {
  // Always quoted: then only the quote and the backslash need escaping, and
  // an element that reads NULL or holds a comma or a brace stays a string.
  literal += '"';
  for (char c : element) {
    if (c == '"' || c == '\\') literal += '\\';
    literal += c;
  }
  literal += '"';
}

std::vector<std::string> split_array(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}')
    throw_bad_value("a list", literal);
  std::vector<std::string> elements;
  std::string_view body = literal.substr(1, literal.size() - 2);
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::string element;
    if (body[pos] == '"') {
      ++pos;
      while (pos < body.size() && body[pos] != '"') {
        if (body[pos] == '\\' && pos + 1 < body.size()) ++pos;
        element += body[pos++];
      }
      if (pos >= body.size()) throw_bad_value("a list", literal);
      ++pos;  // closing quote
    } else {
      std::size_t end = body.find(',', pos);
      if (end == std::string_view::npos) end = body.size();
      element.assign(body.substr(pos, end - pos));
      if (element == "NULL") throw_bad_value("a list without NULL elements", literal);
      if (element.find('{') != std::string::npos) throw_bad_value("a one-dimensional list", literal);
      pos = end;
    }
    elements.push_back(std::move(element));
    if (pos < body.size()) {
      if (body[pos] != ',') throw_bad_value("a list", literal);
      ++pos;
    }
  }
  return elements;
}

void throw_unexpected_null(const pg::Result& result, int column) {
  throw Error(ErrorKind::Failure,
              "column \"" + result.column_name(column) + "\" is NULL but the schema requires it",
              "the database does not match the schema: migrate it or regenerate the client");
}

}  // namespace soulstone::client
