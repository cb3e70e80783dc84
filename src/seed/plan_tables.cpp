// Phase 1 of planning: the tables as the model has them, tied back to the
// Prisma models and fields they come from, and the order to load them in.

#include <algorithm>
#include <functional>

#include "base/error.hpp"
#include "seed/plan_internal.hpp"

namespace soulstone::seed {

namespace {

const psl::Model* model_of(const psl::Schema& schema, std::string_view table) {
  for (const psl::Model& model : schema.models)
    if (!model.is_view() && !model.ignored() && model.database_name() == table) return &model;
  return nullptr;
}

void add_columns(const Plan::Data& data, TablePlan& table, const psl::Model* model, std::uint64_t seed) {
  for (const model::Column& column : table.table->columns) {
    ColumnPlan plan;
    plan.name = column.name;
    plan.field = column.name;
    plan.column = &column;
    if (model != nullptr) {
      for (const psl::Field& field : model->fields) {
        if (field.is_relation() || field.database_name() != column.name) continue;
        plan.field = field.name;
        plan.pii = field.pii();
      }
    }
    plan.key = key(key(seed, table.name), column.name);
    if (column.type.family == model::Family::Enum) {
      plan.enum_type = data.model.enum_named(column.type.name);
      auto names = data.enum_names.find(column.type.name);
      if (names != data.enum_names.end()) plan.enum_names = &names->second;
    }
    table.columns.push_back(std::move(plan));
  }
}

// The Prisma relation field that holds a foreign key (Order.user for
// orders.user_id), and the list field on the other side (User.orders).
void name_relations(Plan::Data& plan, const psl::Schema& schema) {
  for (const psl::Relation& relation : schema.relations) {
    if (relation.is_implicit_many_to_many()) {
      // `_<name>`: column A references the model that sorts first.
      std::size_t join = plan.model.table_index("_" + relation.name);
      if (join == model::npos) continue;
      TablePlan& table = plan.tables[join];
      for (std::size_t fk = 0; fk < table.foreign_keys.size(); ++fk) {
        bool is_a = table.columns[table.foreign_keys[fk].columns[0]].name == "A";
        const psl::Model& side = schema.models[is_a ? relation.from_model : relation.to_model];
        std::size_t field = is_a ? relation.from_field : relation.to_field;
        if (field == psl::npos) continue;
        plan.tables[table.foreign_keys[fk].parent].children.push_back({side.fields[field].name, join, fk});
      }
      continue;
    }
    const psl::Model& from = schema.models[relation.from_model];
    std::size_t t = plan.model.table_index(from.database_name());
    if (t == model::npos || relation.fields.empty()) continue;
    TablePlan& table = plan.tables[t];
    std::vector<std::size_t> columns;
    for (std::size_t f : relation.fields)
      columns.push_back(table.table->column_index(from.fields[f].database_name()));
    for (std::size_t fk = 0; fk < table.foreign_keys.size(); ++fk) {
      if (table.foreign_keys[fk].columns != columns) continue;
      table.foreign_keys[fk].relation = from.fields[relation.from_field].name;
      if (relation.to_field != psl::npos)
        plan.tables[table.foreign_keys[fk].parent].children.push_back(
            {schema.models[relation.to_model].fields[relation.to_field].name, t, fk});
    }
  }
}

// Tarjan's strongly connected components over "references" edges; a
// component of more than one table is a cycle of foreign keys.
std::vector<int> components(const Plan::Data& plan) {
  const std::size_t n = plan.tables.size();
  std::vector<int> index(n, -1), low(n, 0), component(n, -1);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  int counter = 0, components = 0;
  std::function<void(std::size_t)> visit = [&](std::size_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (const ForeignKeyPlan& key : plan.tables[v].foreign_keys) {
      std::size_t w = key.parent;
      if (index[w] < 0) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      std::size_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = false;
        component[w] = components;
      } while (w != v);
      ++components;
    }
  };
  for (std::size_t v = 0; v < n; ++v)
    if (index[v] < 0) visit(v);
  return component;
}

void order_tables(Plan::Data& plan) {
  // Break every cycle through its nullable keys: those are loaded as NULL
  // and set once both sides are in. A cycle of required keys cannot be
  // loaded at all (PostgreSQL checks each COPY at its end).
  std::vector<int> component = components(plan);
  for (TablePlan& table : plan.tables)
    for (ForeignKeyPlan& key : table.foreign_keys)
      if (key.parent != table.index && component[key.parent] == component[table.index] && key.nullable)
        key.deferred = true;
  std::vector<bool> placed(plan.tables.size(), false);
  while (plan.order.size() < plan.tables.size()) {
    bool progress = false;
    for (TablePlan& table : plan.tables) {
      if (placed[table.index]) continue;
      bool ready = true;
      int depth = 0;
      for (const ForeignKeyPlan& key : table.foreign_keys) {
        if (key.deferred || key.parent == table.index) continue;
        if (!placed[key.parent])
          ready = false;
        else
          depth = std::max(depth, plan.tables[key.parent].depth + 1);
      }
      if (!ready) continue;
      table.depth = depth;
      placed[table.index] = true;
      plan.order.push_back(table.index);
      progress = true;
    }
    if (progress) continue;
    std::string names;
    for (const TablePlan& table : plan.tables)
      if (!placed[table.index]) names += (names.empty() ? "" : ", ") + table.name;
    throw Error(ErrorKind::Input, "the tables " + names + " reference each other through required keys only",
                "make one of the relations optional so the cycle can be broken");
  }
}

}  // namespace

void plan_tables(Plan::Data& plan, const psl::Schema& schema, const Config& config) {
  for (const psl::Enum& e : schema.enums)
    for (const psl::EnumValue& value : e.values)
      plan.enum_names[std::string(e.database_name())][value.name] = std::string(value.database_name());
  for (std::size_t t = 0; t < plan.model.tables.size(); ++t) {
    TablePlan table;
    table.index = t;
    table.table = &plan.model.tables[t];
    table.name = table.table->name;
    const psl::Model* model = model_of(schema, table.name);
    table.model = model != nullptr ? model->name : table.name;
    table.key = key(plan.seed, table.name);
    add_columns(plan, table, model, plan.seed);
    plan.tables.push_back(std::move(table));
  }
  for (const model::ForeignKey& fk : plan.model.foreign_keys) {
    TablePlan& table = plan.tables[fk.table];
    ForeignKeyPlan key_plan;
    key_plan.parent = fk.referenced_table;
    key_plan.columns = fk.columns;
    key_plan.referenced = fk.referenced_columns;
    key_plan.nullable = std::all_of(fk.columns.begin(), fk.columns.end(), [&](std::size_t c) {
      return table.table->columns[c].type.arity == model::Arity::Nullable;
    });
    key_plan.null_rate = key_plan.nullable ? config.null_rate : 0;
    key_plan.key = key(key(plan.seed, table.name), "#fk:" + fk.name);
    for (std::size_t c : fk.columns)
      table.columns[c].foreign_key = table.foreign_keys.size();
    table.foreign_keys.push_back(std::move(key_plan));
  }
  name_relations(plan, schema);
  order_tables(plan);
  // Every model named in seed.toml must exist: a typo would silently seed defaults.
  for (const auto& [name, rule] : config.models) {
    bool found = std::any_of(plan.tables.begin(), plan.tables.end(),
                             [&](const TablePlan& t) { return t.model == name || t.name == name; });
    if (!found)
      throw Error(ErrorKind::Input, rule.where + ": unknown model '" + name + "'",
                  "name a model of the schema (or an implicit join table such as _CategoryToPost)");
  }
}

const ModelRule* model_rule_for(const Config& config, const TablePlan& table) {
  auto it = config.models.find(table.model);
  if (it == config.models.end()) it = config.models.find(table.name);
  return it == config.models.end() ? nullptr : &it->second;
}

const FieldRule* rule_for(const Config& config, const TablePlan& table, const ColumnPlan& column) {
  const ModelRule* model = model_rule_for(config, table);
  if (model == nullptr) return nullptr;
  auto it = model->fields.find(column.field);
  if (it == model->fields.end()) it = model->fields.find(column.name);
  return it == model->fields.end() ? nullptr : &it->second;
}

std::size_t TablePlan::column_named(std::string_view wanted) const noexcept {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].field == wanted) return c;
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].name == wanted) return c;
  return model::npos;
}

}  // namespace soulstone::seed
