#include "client_runtime/sql.hpp"

#include <stdexcept>

namespace soulstone::client {

namespace {

std::string qualified(std::string_view alias, const Column& column) {
  return std::string(alias) + "." + column.name;
}

bool nulls_first(const OrderTerm& term) noexcept {
  if (term.nulls == Nulls::Default) return term.sort == Sort::Desc;
  return term.nulls == Nulls::First;
}

// Row t comes strictly after row c on this one column.
std::string after(const OrderTerm& term) {
  std::string t = qualified("\"t\"", term.column), c = qualified("\"c\"", term.column);
  std::string greater = t + (term.sort == Sort::Asc ? " > " : " < ") + c;
  if (!term.column.nullable) return greater;
  if (nulls_first(term)) return "(" + greater + " OR (" + c + " IS NULL AND " + t + " IS NOT NULL))";
  return "(" + greater + " OR (" + t + " IS NULL AND " + c + " IS NOT NULL))";
}

std::string same(const OrderTerm& term) {
  std::string t = qualified("\"t\"", term.column), c = qualified("\"c\"", term.column);
  if (!term.column.nullable) return t + " = " + c;
  return t + " IS NOT DISTINCT FROM " + c;
}

}  // namespace

std::string Sql::bind(std::optional<std::string> value) {
  params.push_back(std::move(value));
  return "$" + std::to_string(params.size());
}

std::string Conditions::joined() const {
  if (terms_.empty()) return "TRUE";
  if (terms_.size() == 1) return terms_.front();
  std::string text = "(";
  for (std::size_t i = 0; i < terms_.size(); ++i)
    text += (i > 0 ? " AND " : "") + terms_[i];
  return text + ")";
}

std::string order_by_clause(std::span<const OrderTerm> terms) {
  std::string text;
  for (const OrderTerm& term : terms) {
    text += text.empty() ? " ORDER BY " : ", ";
    text += qualified("\"t\"", term.column);
    if (term.sort == Sort::Desc) text += " DESC";
    if (term.nulls == Nulls::First) text += " NULLS FIRST";
    if (term.nulls == Nulls::Last) text += " NULLS LAST";
  }
  return text;
}

std::string cursor_condition(std::span<const OrderTerm> terms) {
  // (k1 after) OR (k1 same AND k2 after) OR ... OR (all same): lexicographic
  // order with a direction and a NULL placement per column.
  std::string text = "(";
  std::string prefix;
  for (const OrderTerm& term : terms) {
    text += (text.size() > 1 ? " OR " : "") +
            (prefix.empty() ? after(term) : "(" + prefix + " AND " + after(term) + ")");
    prefix += (prefix.empty() ? "" : " AND ") + same(term);
  }
  text += (text.size() > 1 ? " OR " : "") + (prefix.empty() ? std::string("TRUE") : "(" + prefix + ")");
  return text + ")";
}

std::string page_clause(Sql& sql, std::optional<std::int64_t> take, std::optional<std::int64_t> skip) {
  if ((take && *take < 0) || (skip && *skip < 0))
    throw std::invalid_argument("take and skip must not be negative");
  std::string text;
  if (take) text += " LIMIT " + sql.bind(std::to_string(*take));
  if (skip && *skip > 0) text += " OFFSET " + sql.bind(std::to_string(*skip));
  return text;
}

void complete_order(std::vector<OrderTerm>& order, std::span<const Column> key) {
  for (const Column& column : key) {
    bool present = false;
    for (const OrderTerm& term : order)
      present = present || std::string_view(term.column.name) == column.name;
    if (!present) order.push_back({column, Sort::Asc, Nulls::Default});
  }
}

std::string Assignments::insert_clause() const {
  if (columns_.empty()) return "DEFAULT VALUES";
  std::string columns, values;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    columns += (i > 0 ? ", " : "") + std::string(columns_[i]);
    values += (i > 0 ? ", " : "") + values_[i];
  }
  return "(" + columns + ") VALUES (" + values + ")";
}

std::string Assignments::set_clause() const {
  std::string text;
  for (std::size_t i = 0; i < columns_.size(); ++i)
    text += (i > 0 ? ", " : "") + std::string(columns_[i]) + " = " + values_[i];
  return text;
}

std::string escape_like(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace soulstone::client
