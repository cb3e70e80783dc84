#include "snapshot/copy_text.hpp"

namespace soulstone::snapshot {

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
