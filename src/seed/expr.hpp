#pragma once
// Internal: the expressions of seed.toml rules (docs/formats/seed-toml.md),
// e.g. "subtotal + shippingTotal + taxTotal", "sum(items.lineTotal)",
// "if(status == 'CANCELLED', createdAt + days(random(1, 60)), null)".
//
// parse_expression builds the tree; compile_expression resolves names
// against a table (columns, relations to parents, nested children) and
// turns it into a Node. Random draws inside an expression are keyed by the
// column and the call's position, so they too derive from
// (seed, table, column, row).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "seed/plan.hpp"

namespace soulstone::seed {

struct Ast {
  enum class Kind { Number, String, Bool, Null, Path, Call, Unary, Binary };
  Kind kind = Kind::Null;
  std::string text;  // Number: the literal; String: the text; Call, Unary, Binary: the name/operator
  std::vector<std::string> path;  // Path: a.b.c
  std::vector<Ast> args;          // Call: arguments; Unary: 1; Binary: 2
  std::size_t column = 1;         // 1-based, in the expression text
};

// Throws Error(Input) "column N: ..." on a syntax error.
[[nodiscard]] Ast parse_expression(std::string_view text);

struct CompileScope {
  Plan::Data& plan;
  std::size_t table;         // the table the expression is evaluated on
  std::uint64_t column_key;  // the key of the column the rule belongs to
  std::size_t draws = 0;     // random calls numbered in order of appearance
};

// Throws Error(Input) naming the unknown field, relation or function.
[[nodiscard]] NodePtr compile_expression(const Ast& ast, CompileScope& scope);

}  // namespace soulstone::seed
