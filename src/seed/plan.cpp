#include "seed/plan.hpp"

#include "base/error.hpp"
#include "psl/ast.hpp"
#include "seed/plan_internal.hpp"
#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

// Evaluates the first, second and last rows of every table, so rules that
// cannot work (a typo'd enum value, a cycle, a type mismatch) fail here,
// before the database is touched.
void try_rows(const Plan::Data& plan) {
  for (const TablePlan& table : plan.tables) {
    if (table.rows == 0) continue;
    Row row(plan, table);
    for (std::uint64_t index : {std::uint64_t{0}, std::uint64_t{1}, table.rows - 1}) {
      if (index >= table.rows) continue;
      row.reset(index);
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        (void)row.value(c);
    }
  }
}

}  // namespace

Plan::Plan(std::unique_ptr<Data> data) : data_(std::move(data)) {}
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;
Plan::~Plan() = default;

std::vector<Plan::TableInfo> Plan::tables() const {
  std::vector<TableInfo> out;
  for (std::size_t t : data_->order) {
    const TablePlan& table = data_->tables[t];
    out.push_back({table.name, table.model, table.rows, table.depth, table.notes});
  }
  return out;
}

std::uint64_t Plan::total_rows() const {
  std::uint64_t total = 0;
  for (const TablePlan& table : data_->tables)
    total += table.rows;
  return total;
}

Plan make_plan(const psl::Schema& schema, const model::Schema& model, const Config& config,
               const PlanOptions& options) {
  if (!(options.scale >= 0) || options.scale > 1e6)
    throw Error(ErrorKind::Usage, "--scale must be a number from 0 to 1000000",
                "e.g. --scale 0.1 or --scale 20");
  auto data = std::make_unique<Plan::Data>();
  data->seed = options.seed;
  data->scale = options.scale;
  data->model = model;
  data->time_start = config.start;
  data->time_end = config.end;
  plan_tables(*data, schema, config);
  plan_sizes(*data, config);
  plan_columns(*data, config);
  try_rows(*data);
  return Plan(std::move(data));
}

}  // namespace soulstone::seed
