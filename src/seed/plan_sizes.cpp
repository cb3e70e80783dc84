// Phase 2 of planning: how many rows each table gets, which tables are
// generated per row of a parent (nesting), and how unique constraints are
// met by construction (a unique column, or a unique group of keys and
// small-domain columns), clamping counts where a constraint allows fewer
// distinct rows than asked for.

#include <algorithm>
#include <cmath>

#include "base/error.hpp"
#include "seed/plan_internal.hpp"

namespace soulstone::seed {

namespace {

constexpr std::uint64_t kDefaultPerMax = 3;
constexpr std::uint64_t kJoinPerMax = 5;
constexpr std::uint64_t kMaxDomain = std::uint64_t{1} << 62;

bool has_maker(const FieldRule* rule) {
  return rule != nullptr &&
         (rule->value || !rule->expr.empty() || !rule->generator.empty() || !rule->choices.empty());
}

bool is_sequence(const ColumnPlan& column) {
  return column.column->auto_increment ||
         (column.column->default_value &&
          column.column->default_value->kind == model::Default::Kind::Sequence);
}

std::size_t base36_width(std::uint64_t n) {
  std::size_t width = 1;
  for (std::uint64_t cap = 36; cap < n && width < 13; cap *= 36)
    ++width;
  return width;
}

bool unique_capable(const ColumnPlan& column, std::uint64_t rows) {
  const model::ColumnType& type = column.column->type;
  if (type.arity == model::Arity::List) return false;
  switch (type.family) {
    case model::Family::Int:
    case model::Family::BigInt:
      if (type.native == model::NativeType::SmallInt) return rows <= 32767;
      return type.family == model::Family::BigInt || rows <= 2147483647;
    case model::Family::Uuid:
      return true;
    case model::Family::String:
      if (type.native == model::NativeType::Uuid) return true;
      if ((type.native == model::NativeType::VarChar || type.native == model::NativeType::Char) &&
          !type.args.empty())
        return type.args[0] >= base36_width(rows);
      return type.native != model::NativeType::Inet;
    default:
      return false;
  }
}

std::uint64_t domain_of(const Plan::Data& plan, const ColumnPlan& column) {
  const model::ColumnType& type = column.column->type;
  if (type.arity == model::Arity::List) return 0;
  if (type.family == model::Family::Boolean) return 2;
  if (type.family == model::Family::Enum) {
    const model::Enum* e = plan.model.enum_named(type.name);
    return e == nullptr ? 0 : e->values.size();
  }
  return 0;
}

std::optional<std::size_t> resolve_per(const TablePlan& table, const ModelRule* rule) {
  if (rule == nullptr || rule->per.empty()) {
    // Prisma's implicit many-to-many tables: rows per row of A.
    if (table.name.starts_with("_") && table.foreign_keys.size() == 2)
      for (std::size_t fk = 0; fk < 2; ++fk)
        if (table.columns[table.foreign_keys[fk].columns[0]].name == "A") return fk;
    return std::nullopt;
  }
  for (std::size_t fk = 0; fk < table.foreign_keys.size(); ++fk) {
    if (table.foreign_keys[fk].relation == rule->per) return fk;
    for (std::size_t c : table.foreign_keys[fk].columns)
      if (table.columns[c].field == rule->per || table.columns[c].name == rule->per) return fk;
  }
  std::string relations;
  for (const ForeignKeyPlan& key : table.foreign_keys)
    if (!key.relation.empty()) relations += (relations.empty() ? "" : ", ") + key.relation;
  throw Error(ErrorKind::Input,
              rule->where + ": per = \"" + rule->per + "\": " + table.model +
                  " has no relation or key column of that name" +
                  (relations.empty() ? "" : " (its relations: " + relations + ")"),
              "per names the relation to the parent model, e.g. per = \"order\"");
}

struct Sizing {
  std::uint64_t rows = 0;     // not nested
  std::uint64_t per_max = 0;  // nested
  std::optional<std::size_t> nest;
};

void plan_unique_index(Plan::Data& plan, TablePlan& table, const model::Index& index, Sizing& sizing,
                       const std::vector<bool>& explicit_column) {
  std::vector<std::size_t> cols;
  for (const model::IndexColumn& c : index.columns)
    cols.push_back(c.column);
  for (std::size_t c : cols)
    if (table.columns[c].unique || (is_sequence(table.columns[c]) && !explicit_column[c])) return;

  auto in_index = [&](std::size_t c) { return std::find(cols.begin(), cols.end(), c) != cols.end(); };
  std::vector<std::size_t> keys;  // foreign keys wholly inside the index
  for (std::size_t fk = 0; fk < table.foreign_keys.size(); ++fk) {
    const ForeignKeyPlan& key = table.foreign_keys[fk];
    if (std::all_of(key.columns.begin(), key.columns.end(), in_index) &&
        std::none_of(key.columns.begin(), key.columns.end(),
                     [&](std::size_t c) { return explicit_column[c]; }))
      keys.push_back(fk);
  }
  bool nested_in = sizing.nest && std::find(keys.begin(), keys.end(), *sizing.nest) != keys.end();
  std::uint64_t rows_bound =
      sizing.nest ? plan.tables[table.foreign_keys[*sizing.nest].parent].rows * sizing.per_max : sizing.rows;
  std::vector<std::size_t> free;
  for (std::size_t c : cols)
    if (!table.columns[c].foreign_key && !explicit_column[c]) free.push_back(c);

  // Simplest: one column that can hold a distinct value per row.
  for (std::size_t c : free) {
    if (unique_capable(table.columns[c], rows_bound)) {
      table.columns[c].unique = true;
      return;
    }
  }
  // Else a group: keys and small-domain columns, read from a bijection.
  UniqueGroup group;
  std::vector<std::pair<bool, std::size_t>> members;  // (is key, index)
  for (std::size_t fk : keys) {
    if (nested_in && fk == *sizing.nest) continue;
    members.emplace_back(true, fk);
    group.radices.push_back(plan.tables[table.foreign_keys[fk].parent].rows);
  }
  for (std::size_t c : free) {
    members.emplace_back(false, c);
    group.radices.push_back(domain_of(plan, table.columns[c]));
    if (group.radices.back() == 0)
      throw Error(ErrorKind::Input,
                  "cannot make " + table.model + "." + table.columns[c].field +
                      " unique by construction (index " + index.name + ")",
                  "give it a rule in seed.toml ([models." + table.model + ".fields])");
  }
  if (members.empty()) {
    if (nested_in)
      sizing.per_max = std::min<std::uint64_t>(sizing.per_max, 1);
    else if (!cols.empty())
      table.notes.push_back("unique " + index.name + " is left to the seed.toml rules of its fields");
    return;
  }
  std::uint64_t domain = 1;
  for (std::uint64_t radix : group.radices)
    domain = (radix != 0 && domain > kMaxDomain / radix) ? kMaxDomain : domain * radix;
  const std::size_t g = table.groups.size();
  for (std::size_t m = 0; m < members.size(); ++m) {
    if (members[m].first) {
      ForeignKeyPlan& key = table.foreign_keys[members[m].second];
      if (key.pick != ForeignKeyPlan::Pick::Uniform)
        throw Error(ErrorKind::Input,
                    "cannot meet unique " + index.name + " of " + table.name +
                        " by construction: its key is already used by another unique constraint",
                    "give one of its fields a rule in seed.toml");
      key.pick = ForeignKeyPlan::Pick::Unique;
      key.group = g;
      key.digit = m;
    } else {
      table.columns[members[m].second].group_digit = std::make_pair(g, m);
    }
  }
  group.permutation = Permutation(key(table.key, "#unique:" + index.name), domain);
  group.per_parent = nested_in;
  group.offset_key = key(table.key, "#offset:" + index.name);
  table.groups.push_back(std::move(group));
  std::uint64_t& limit = nested_in ? sizing.per_max : sizing.rows;
  if (limit > domain) {
    table.notes.push_back(std::string(nested_in ? "rows per parent" : "rows") + " cut from " +
                          std::to_string(limit) + " to " + std::to_string(domain) + ": unique " + index.name +
                          " allows no more");
    limit = domain;
  }
}

}  // namespace

static std::uint64_t base_rows(const Plan::Data& plan, const Config& config, const ModelRule* rule) {
  double count = rule != nullptr && rule->count ? *rule->count : config.default_count;
  double scaled = std::round(count * plan.scale);
  return count > 0 && plan.scale > 0 ? std::max<std::uint64_t>(1, static_cast<std::uint64_t>(scaled)) : 0;
}

void plan_sizes(Plan::Data& plan, const Config& config) {
  // Counts first, so keys into tables loaded later (cycles) see them too.
  for (TablePlan& table : plan.tables)
    table.rows = base_rows(plan, config, model_rule_for(config, table));
  for (std::size_t t : plan.order) {
    TablePlan& table = plan.tables[t];
    const ModelRule* rule = model_rule_for(config, table);
    Sizing sizing;
    sizing.nest = resolve_per(table, rule);
    std::vector<bool> explicit_column(table.columns.size(), false);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const FieldRule* field = rule_for(config, table, table.columns[c]);
      explicit_column[c] = has_maker(field);
      table.columns[c].has_rule = field != nullptr;
      if (field != nullptr && field->null_rate && table.columns[c].foreign_key)
        table.foreign_keys[*table.columns[c].foreign_key].null_rate = *field->null_rate;
    }
    if (rule != nullptr) {
      for (const auto& [name, field] : rule->fields) {
        if (table.column_named(name) == model::npos)
          throw Error(ErrorKind::Input, field.where + ": " + table.model + " has no field '" + name + "'",
                      "rules apply to scalar fields (for a relation, to its key fields, e.g. userId)");
      }
    }
    if (sizing.nest) {
      ForeignKeyPlan& key = table.foreign_keys[*sizing.nest];
      if (key.deferred || plan.tables[key.parent].index == table.index)
        throw Error(ErrorKind::Input, (rule != nullptr ? rule->where + ": " : std::string()) + table.model +
                                          " cannot be generated per " + plan.tables[key.parent].model +
                                          ": the relation is part of a cycle");
      key.pick = ForeignKeyPlan::Pick::Nested;
      bool explicit_rate = false;
      for (std::size_t c : key.columns)
        explicit_rate |= table.columns[c].has_rule && !explicit_column[c];
      if (!explicit_rate) key.null_rate = 0;
      bool join = rule == nullptr || rule->per.empty();
      std::uint64_t min = rule != nullptr && rule->min ? *rule->min : 0;
      sizing.per_max =
          rule != nullptr && rule->max ? *rule->max : std::max(min, join ? kJoinPerMax : kDefaultPerMax);
    } else {
      sizing.rows = table.rows;
    }
    if (table.table->primary_key)
      plan_unique_index(plan, table, *table.table->primary_key, sizing, explicit_column);
    for (const model::Index& index : table.table->indexes)
      if (index.is_unique()) plan_unique_index(plan, table, index, sizing, explicit_column);
    if (sizing.nest) {
      std::uint64_t min = rule != nullptr && rule->min ? *rule->min : 0;
      min = std::min(min, sizing.per_max);
      const ForeignKeyPlan& key = table.foreign_keys[*sizing.nest];
      table.nesting.emplace(*sizing.nest, seed::key(table.key, "#per"), min, sizing.per_max,
                            plan.tables[key.parent].rows);
      table.rows = table.nesting->rows();
    } else {
      table.rows = sizing.rows;
    }
  }
}

}  // namespace soulstone::seed
