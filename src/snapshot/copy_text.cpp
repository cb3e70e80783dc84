#include "snapshot/copy_text.hpp"

namespace soulstone::snapshot {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void split_copy_row(std::string_view row, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    std::size_t tab = row.find('\t');
    fields.push_back(row.substr(0, tab));
    if (tab == std::string_view::npos) return;
    row.remove_prefix(tab + 1);
  }
}

std::string decode_copy_field(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out.push_back(c);
      continue;
    }
    char e = field[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x': {
        int value = 0, digits = 0;
        while (digits < 2 && i + 1 < field.size() && hex_value(field[i + 1]) >= 0)
          value = value * 16 + hex_value(field[++i]), ++digits;
        if (digits == 0)
          out.push_back('x');
        else
          out.push_back(static_cast<char>(value));
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int digits = 1;
               digits < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7'; ++digits)
            value = value * 8 + (field[++i] - '0');
          out.push_back(static_cast<char>(value));
        } else {
          out.push_back(e);  // \\ and any other escaped character stand for themselves
        }
    }
  }
  return out;
}

void append_copy_field(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        out.push_back(c);
    }
  }
}

namespace {

// One identifier as PostgreSQL's quote_identifier prints it: plain, or in
// double quotes with "" for a quote.
std::optional<std::string> identifier(std::string_view& text) {
  std::string out;
  if (!text.empty() && text.front() == '"') {
    for (std::size_t i = 1; i < text.size(); ++i) {
      if (text[i] != '"') {
        out.push_back(text[i]);
        continue;
      }
      if (i + 1 < text.size() && text[i + 1] == '"') {
        out.push_back('"');
        ++i;
        continue;
      }
      text.remove_prefix(i + 1);
      return out;
    }
    return std::nullopt;
  }
  std::size_t end = text.find_first_of(" .,()\t\n");
  if (end == 0 || end == std::string_view::npos) return std::nullopt;
  out = text.substr(0, end);
  text.remove_prefix(end);
  return out;
}

}  // namespace

std::optional<std::vector<std::string>> copy_statement_columns(std::string_view statement) {
  if (statement.substr(0, 5) != "COPY ") return std::nullopt;
  statement.remove_prefix(5);
  for (;;) {  // the qualified table name
    if (!identifier(statement)) return std::nullopt;
    if (statement.empty() || statement.front() != '.') break;
    statement.remove_prefix(1);
  }
  while (!statement.empty() && statement.front() == ' ')
    statement.remove_prefix(1);
  std::vector<std::string> columns;
  if (statement.empty() || statement.front() != '(') return columns;  // a table without columns
  statement.remove_prefix(1);
  for (;;) {
    auto name = identifier(statement);
    if (!name) return std::nullopt;
    columns.push_back(std::move(*name));
    if (statement.substr(0, 2) == ", ") {
      statement.remove_prefix(2);
      continue;
    }
    if (statement.substr(0, 1) == ")") return columns;
    return std::nullopt;
  }
}

}  // namespace soulstone::snapshot
