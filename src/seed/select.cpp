#include "seed/select.hpp"

#include "base/error.hpp"

namespace soulstone::seed {

Selection select_tables(const Plan::Data& plan, const std::vector<std::string>& only) {
  const std::size_t n = plan.tables.size();
  Selection selection{std::vector<bool>(n, only.empty()), std::vector<bool>(n, only.empty())};
  if (only.empty()) return selection;
  for (const std::string& name : only) {
    bool found = false;
    for (const TablePlan& table : plan.tables) {
      if (table.model != name && table.name != name) continue;
      selection.load[table.index] = true;
      found = true;
    }
    if (!found) {
      std::string models;
      for (const TablePlan& table : plan.tables)
        models += (models.empty() ? "" : ", ") + table.model;
      throw Error(ErrorKind::Usage, "--only: unknown model '" + name + "'", "the models: " + models);
    }
  }
  // Parents, transitively: keys must point at loaded rows.
  for (bool changed = true; changed;) {
    changed = false;
    for (const TablePlan& table : plan.tables) {
      if (!selection.load[table.index]) continue;
      for (const ForeignKeyPlan& key : table.foreign_keys)
        if (!selection.load[key.parent]) selection.load[key.parent] = changed = true;
    }
  }
  selection.truncate = selection.load;
  // Children, transitively: PostgreSQL truncates a referenced table only
  // together with the tables that reference it.
  for (bool changed = true; changed;) {
    changed = false;
    for (const TablePlan& table : plan.tables) {
      if (selection.truncate[table.index]) continue;
      for (const ForeignKeyPlan& key : table.foreign_keys)
        if (selection.truncate[key.parent]) selection.truncate[table.index] = changed = true;
    }
  }
  return selection;
}

}  // namespace soulstone::seed
