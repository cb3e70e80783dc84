#pragma once
// Internal: the phases of make_plan, in the order they run.

#include "psl/ast.hpp"
#include "seed/config.hpp"
#include "seed/plan.hpp"

namespace soulstone::seed {

// Tables, columns (with their Prisma field names and @pii markers), foreign
// keys (with their relation field names), list relations, the load order.
void plan_tables(Plan::Data& plan, const psl::Schema& schema, const Config& config);

// Row counts, nesting and unique groups, table by table in load order (a
// nested table's size follows its parent's).
void plan_sizes(Plan::Data& plan, const Config& config);

// How every column is made (seed.toml rules, else the generic choice).
void plan_columns(Plan::Data& plan, const Config& config);

// The rule of a table's field in seed.toml (by field or column name), or nullptr.
[[nodiscard]] const FieldRule* rule_for(const Config& config, const TablePlan& table,
                                        const ColumnPlan& column);
[[nodiscard]] const ModelRule* model_rule_for(const Config& config, const TablePlan& table);

}  // namespace soulstone::seed
