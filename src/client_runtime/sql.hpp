#pragma once
// Statements of the generated client under construction. The text is made
// only of fragments fixed when the client was generated (quoted identifiers,
// keywords) and placeholders; every value goes in `params`. So a statement's
// text depends on the shape of a query, never on its values, and each shape
// is prepared once per session (client_runtime/session.hpp).
//
// The row of the model being read or written is always aliased "t".

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "client_runtime/codec.hpp"
#include "pg/connection.hpp"

namespace soulstone::client {

struct Sql {
  std::string text;
  pg::Params params;

  // Adds a parameter; returns its placeholder ("$3").
  [[nodiscard]] std::string bind(std::optional<std::string> value);
  template <class T>
  [[nodiscard]] std::string bind_value(const T& value) {
    return bind(to_param(value));
  }
};

// Terms of a WHERE clause, joined with AND.
class Conditions {
 public:
  explicit Conditions(Sql& sql) noexcept : sql_(&sql) {}
  [[nodiscard]] Sql& sql() noexcept { return *sql_; }
  void add(std::string term) { terms_.push_back(std::move(term)); }
  [[nodiscard]] bool empty() const noexcept { return terms_.empty(); }
  // "(a AND b)", a single term as it is, "TRUE" when there is none.
  [[nodiscard]] std::string joined() const;

 private:
  Sql* sql_;
  std::vector<std::string> terms_;
};

// Adds the terms of a model's nested filters: every one of `all`, at least
// one of `any`, none of `none`. `compile(Conditions&, const Where&)` is the
// model's generated where-compiler.
template <class Where, class Compile>
void combine(Conditions& out, const std::vector<Where>& all, const std::vector<Where>& any,
             const std::vector<Where>& none, Compile compile) {
  for (const Where& where : all) {
    Conditions inner(out.sql());
    compile(inner, where);
    if (!inner.empty()) out.add(inner.joined());
  }
  if (!any.empty()) {
    std::string text;
    for (const Where& where : any) {
      Conditions inner(out.sql());
      compile(inner, where);
      text += (text.empty() ? "(" : " OR ") + inner.joined();
    }
    out.add(text + ")");
  }
  for (const Where& where : none) {
    Conditions inner(out.sql());
    compile(inner, where);
    out.add("NOT " + inner.joined());
  }
}

enum class Sort { Asc, Desc };
// Where NULLs go; Default is PostgreSQL's (last ascending, first descending).
enum class Nulls { Default, First, Last };

// A column of a model as the generated code describes it.
struct Column {
  const char* name;  // quoted identifier, e.g. "\"created_at\""
  bool nullable;
};

struct OrderTerm {
  Column column;
  Sort sort = Sort::Asc;
  Nulls nulls = Nulls::Default;
};

// Appends the columns of `key` (a unique key) that `order` does not sort by
// yet, ascending, so that the order is total.
void complete_order(std::vector<OrderTerm>& order, std::span<const Column> key);

// Column = value pairs of an INSERT or an UPDATE, values as parameters.
class Assignments {
 public:
  explicit Assignments(Sql& sql) noexcept : sql_(&sql) {}
  template <class T>
  void add(const char* column, const T& value) {
    columns_.push_back(column);
    values_.push_back(sql_->bind_value(value));
  }
  [[nodiscard]] bool empty() const noexcept { return columns_.empty(); }
  // "(a, b) VALUES ($1, $2)", or "DEFAULT VALUES" when there is none.
  [[nodiscard]] std::string insert_clause() const;
  // "a = $1, b = $2".
  [[nodiscard]] std::string set_clause() const;

 private:
  Sql* sql_;
  std::vector<const char*> columns_;
  std::vector<std::string> values_;
};

// " ORDER BY "t"."a" DESC, ..." (empty for no terms).
[[nodiscard]] std::string order_by_clause(std::span<const OrderTerm> terms);

// The condition "row t comes at or after row c" in the order of `terms`,
// which must end with a unique key so that the order is total (Prisma's
// cursor: the cursor's own row is the first of the page). Handles NULLs as
// PostgreSQL sorts them.
[[nodiscard]] std::string cursor_condition(std::span<const OrderTerm> terms);

// " LIMIT $n OFFSET $m" for take and skip, as parameters.
[[nodiscard]] std::string page_clause(Sql& sql, std::optional<std::int64_t> take,
                                      std::optional<std::int64_t> skip);

// "%" and "_" in a LIKE pattern taken literally.
[[nodiscard]] std::string escape_like(std::string_view text);

}  // namespace soulstone::client
