// The differ: pairs objects of the two schemas, emits steps, sorts them into
// Prisma's order (see sql/steps.hpp for why the order is the contract).

#include "migrate/diff.hpp"

#include <algorithm>
#include <map>
#include <string>

#include "migrate/column_diff.hpp"

namespace soulstone::migrate {

namespace {

using sql::Step;
using sql::StepKind;
using sql::TableChange;

struct ColumnPair {
  std::size_t before = model::npos;
  std::size_t after = model::npos;
  ColumnDiff diff;
};

struct TablePair {
  std::size_t before = model::npos;
  std::size_t after = model::npos;
  // Columns by name, bytewise (Prisma keeps them in a BTreeMap keyed by name).
  std::map<std::string, ColumnPair> columns;
};

class Differ {
 public:
  Differ(const model::Schema& before, const model::Schema& after) : b_(before), a_(after) { pair_tables(); }

  std::vector<Step> run() {
    extension_steps();
    for (std::size_t i = 0; i < a_.namespaces.size(); ++i) {
      if (std::find(b_.namespaces.begin(), b_.namespaces.end(), a_.namespaces[i]) == b_.namespaces.end())
        push({.kind = StepKind::CreateSchema, .after_object = i});
    }
    created_tables();
    dropped_tables();
    for (const TablePair& pair : pairs_) {
      if (pair.before == model::npos || pair.after == model::npos) continue;
      index_steps(pair);
      altered_table(pair);
    }
    enum_steps();
    std::stable_sort(steps_.begin(), steps_.end(), [](const Step& x, const Step& y) {
      if (x.kind != y.kind) return x.kind < y.kind;
      return x.sort_key() < y.sort_key();
    });
    move_unique_drops_after_primary_keys();
    return std::move(steps_);
  }

 private:
  void push(Step step) { steps_.push_back(std::move(step)); }

  void pair_tables() {
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < b_.tables.size(); ++i) {
      by_name.emplace(b_.tables[i].name, pairs_.size());
      pairs_.push_back({.before = i});
    }
    for (std::size_t i = 0; i < a_.tables.size(); ++i) {
      auto found = by_name.find(a_.tables[i].name);
      if (found == by_name.end()) {
        pairs_.push_back({.after = i});
        continue;
      }
      TablePair& pair = pairs_[found->second];
      pair.after = i;
      const model::Table& previous = b_.tables[pair.before];
      const model::Table& next = a_.tables[i];
      for (std::size_t c = 0; c < previous.columns.size(); ++c)
        pair.columns[previous.columns[c].name].before = c;
      for (std::size_t c = 0; c < next.columns.size(); ++c)
        pair.columns[next.columns[c].name].after = c;
      for (auto& [name, column] : pair.columns) {
        if (column.before != model::npos && column.after != model::npos)
          column.diff = diff_column(previous.columns[column.before], next.columns[column.after]);
      }
    }
  }

  void extension_steps() {
    for (std::size_t j = 0; j < a_.extensions.size(); ++j) {
      const model::Extension& next = a_.extensions[j];
      bool found = false;
      for (std::size_t i = 0; i < b_.extensions.size(); ++i) {
        const model::Extension& previous = b_.extensions[i];
        if (previous.name != next.name) continue;
        found = true;
        bool versions = previous.version == next.version || previous.version.empty() || next.version.empty();
        bool schemas = previous.schema == next.schema || previous.schema.empty() || next.schema.empty();
        if (versions && schemas) break;
        if (!previous.relocatable && !next.relocatable) {
          push({.kind = StepKind::DropExtension, .before_object = i});
          push({.kind = StepKind::CreateExtension, .after_object = j});
        } else {
          Step step{.kind = StepKind::AlterExtension, .before_object = i, .after_object = j};
          if (!previous.version.empty() && !next.version.empty() && previous.version != next.version)
            step.extension_changes.push_back(0);
          if (!previous.schema.empty() && !next.schema.empty() && previous.schema != next.schema)
            step.extension_changes.push_back(1);
          push(std::move(step));
        }
        break;
      }
      if (!found) push({.kind = StepKind::CreateExtension, .after_object = j});
    }
  }

  void created_tables() {
    for (const TablePair& pair : pairs_) {
      if (pair.before != model::npos) continue;
      push({.kind = StepKind::CreateTable, .after_table = pair.after});
      for (std::size_t key : a_.foreign_keys_of(pair.after))
        push({.kind = StepKind::AddForeignKey, .after_object = key});
      for (std::size_t i = 0; i < a_.tables[pair.after].indexes.size(); ++i)
        push({.kind = StepKind::CreateIndex, .after_table = pair.after, .after_object = i});
    }
  }

  void dropped_tables() {
    for (const TablePair& pair : pairs_) {
      if (pair.after != model::npos) continue;
      push({.kind = StepKind::DropTable, .before_table = pair.before});
      for (std::size_t key : b_.foreign_keys_of(pair.before))
        push({.kind = StepKind::DropForeignKey, .before_object = key});
    }
  }

  [[nodiscard]] static bool opclasses_match(const std::optional<model::OperatorClass>& x,
                                            const std::optional<model::OperatorClass>& y) {
    if (x && y) return x->name == y->name;
    if (!x && !y) return true;
    return (!x && y->is_default) || (!y && x->is_default);
  }

  [[nodiscard]] bool indexes_match(const TablePair& pair, const model::Index& x,
                                   const model::Index& y) const {
    if (x.columns.size() != y.columns.size() || x.kind != y.kind || x.algorithm != y.algorithm) return false;
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    for (std::size_t i = 0; i < x.columns.size(); ++i) {
      const model::IndexColumn& c = x.columns[i];
      const model::IndexColumn& d = y.columns[i];
      if (previous.columns[c.column].name != next.columns[d.column].name || c.length != d.length)
        return false;
      if (c.sort.value_or(model::SortOrder::Asc) != d.sort.value_or(model::SortOrder::Asc)) return false;
      if (!opclasses_match(c.opclass, d.opclass)) return false;
    }
    return true;
  }

  // Previous indexes with a unique definition (columns and kind), each with
  // its first matching next index: the pairs that can be renamed.
  [[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> index_pairs(const TablePair& pair) const {
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    auto names = [&](const model::Index& index) {
      std::vector<std::string> out;
      for (const model::IndexColumn& column : index.columns)
        out.push_back(previous.columns[column.column].name);
      return out;
    };
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = 0; i < previous.indexes.size(); ++i) {
      std::size_t identical = 0;
      for (const model::Index& other : previous.indexes)
        if (names(other) == names(previous.indexes[i]) && other.kind == previous.indexes[i].kind) ++identical;
      if (identical != 1) continue;
      for (std::size_t j = 0; j < next.indexes.size(); ++j) {
        if (indexes_match(pair, previous.indexes[i], next.indexes[j])) {
          out.emplace_back(i, j);
          break;
        }
      }
    }
    return out;
  }

  void index_steps(const TablePair& pair) {
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    for (std::size_t i = 0; i < previous.indexes.size(); ++i) {
      bool kept = std::any_of(next.indexes.begin(), next.indexes.end(), [&](const model::Index& y) {
        return indexes_match(pair, previous.indexes[i], y);
      });
      if (!kept) push({.kind = StepKind::DropIndex, .before_table = pair.before, .before_object = i});
    }
    for (std::size_t j = 0; j < next.indexes.size(); ++j) {
      bool existed =
          std::any_of(previous.indexes.begin(), previous.indexes.end(),
                      [&](const model::Index& x) { return indexes_match(pair, x, next.indexes[j]); });
      if (!existed)
        push({.kind = StepKind::CreateIndex,
              .before_table = pair.before,
              .after_table = pair.after,
              .after_object = j});
    }
    // PostgreSQL drops an index with its column: recreate the indexes on
    // columns that are dropped and recreated for a type change.
    for (auto [i, j] : index_pairs(pair)) {
      bool recreated = false;
      for (const model::IndexColumn& column : next.indexes[j].columns) {
        auto found = pair.columns.find(next.columns[column.column].name);
        if (found != pair.columns.end() && found->second.before != model::npos &&
            found->second.diff.type_change == sql::TypeChange::NotCastable)
          recreated = true;
      }
      if (recreated)
        push({.kind = StepKind::CreateIndex,
              .before_table = pair.before,
              .after_table = pair.after,
              .after_object = j,
              .from_drop_and_recreate = true});
      if (previous.indexes[i].name != next.indexes[j].name)
        push({.kind = StepKind::RenameIndex,
              .before_table = pair.before,
              .after_table = pair.after,
              .before_object = i,
              .after_object = j});
    }
  }

  [[nodiscard]] bool foreign_keys_match(const TablePair& pair, const model::ForeignKey& x,
                                        const model::ForeignKey& y) const {
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    if (b_.tables[x.referenced_table].name != a_.tables[y.referenced_table].name) return false;
    if (x.columns.size() != y.columns.size() || x.referenced_columns.size() != y.referenced_columns.size())
      return false;
    for (std::size_t i = 0; i < x.columns.size(); ++i) {
      const std::string& name = previous.columns[x.columns[i]].name;
      if (name != next.columns[y.columns[i]].name) return false;
      auto found = pair.columns.find(name);
      if (found != pair.columns.end() && found->second.diff.changes.has(sql::ColumnChanges::kType))
        return false;
    }
    for (std::size_t i = 0; i < x.referenced_columns.size(); ++i) {
      if (b_.tables[x.referenced_table].columns[x.referenced_columns[i]].name !=
          a_.tables[y.referenced_table].columns[y.referenced_columns[i]].name)
        return false;
    }
    return x.on_delete == y.on_delete && x.on_update == y.on_update;
  }

  [[nodiscard]] static bool is_join_table_key(const model::Schema& schema, const model::ForeignKey& key) {
    const model::Table& table = schema.tables[key.table];
    return table.columns.size() == 2 && table.column("A") != nullptr && table.column("B") != nullptr;
  }

  void foreign_key_steps(const TablePair& pair) {
    std::vector<std::size_t> previous = b_.foreign_keys_of(pair.before);
    std::vector<std::size_t> next = a_.foreign_keys_of(pair.after);
    auto matches = [&](std::size_t x, std::size_t y) {
      return foreign_keys_match(pair, b_.foreign_keys[x], a_.foreign_keys[y]);
    };
    for (std::size_t y : next)
      if (std::none_of(previous.begin(), previous.end(), [&](std::size_t x) { return matches(x, y); }))
        push({.kind = StepKind::AddForeignKey, .after_object = y});
    for (std::size_t x : previous)
      if (std::none_of(next.begin(), next.end(), [&](std::size_t y) { return matches(x, y); }))
        push({.kind = StepKind::DropForeignKey, .before_object = x});
    std::vector<bool> seen(a_.foreign_keys.size(), false);
    for (std::size_t x : previous) {
      for (std::size_t y : next) {
        if (seen[y] || !matches(x, y)) continue;
        seen[y] = true;
        const model::ForeignKey& p = b_.foreign_keys[x];
        const model::ForeignKey& n = a_.foreign_keys[y];
        // Join tables of implicit many-to-many relations once had unnamed
        // keys; Prisma never renames theirs.
        if (p.name != n.name && !(is_join_table_key(b_, p) && is_join_table_key(a_, n)))
          push({.kind = StepKind::RenameForeignKey, .before_object = x, .after_object = y});
        break;
      }
    }
  }

  [[nodiscard]] bool primary_key_changed(const TablePair& pair) const {
    const auto& p = b_.tables[pair.before].primary_key;
    const auto& n = a_.tables[pair.after].primary_key;
    if (!p || !n) return false;
    if (p->columns.size() != n->columns.size()) return true;
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    for (std::size_t i = 0; i < p->columns.size(); ++i) {
      const auto& c = p->columns[i];
      const auto& d = n->columns[i];
      if (previous.columns[c.column].name != next.columns[d.column].name || c.length != d.length ||
          c.sort.value_or(model::SortOrder::Asc) != d.sort.value_or(model::SortOrder::Asc))
        return true;
    }
    for (const auto& c : p->columns) {
      auto found = pair.columns.find(previous.columns[c.column].name);
      if (found != pair.columns.end() && found->second.after != model::npos &&
          found->second.diff.changes.has(sql::ColumnChanges::kType))
        return true;
    }
    return false;
  }

  void altered_table(const TablePair& pair) {
    foreign_key_steps(pair);
    const model::Table& previous = b_.tables[pair.before];
    const model::Table& next = a_.tables[pair.after];
    std::vector<TableChange> changes;
    bool pk_changed = primary_key_changed(pair);
    if ((previous.primary_key && !next.primary_key) || pk_changed)
      changes.push_back({.kind = TableChange::Kind::DropPrimaryKey});
    if (previous.primary_key && next.primary_key && previous.primary_key->name != next.primary_key->name)
      changes.push_back({.kind = TableChange::Kind::RenamePrimaryKey});
    for (const auto& [name, column] : pair.columns)
      if (column.after == model::npos)
        changes.push_back({.kind = TableChange::Kind::DropColumn, .before_column = column.before});
    for (const auto& [name, column] : pair.columns) {
      if (column.before == model::npos)
        changes.push_back({.kind = TableChange::Kind::AddColumn,
                           .after_column = column.after,
                           .has_virtual_default = next.columns[column.after].prisma_level_default});
    }
    std::vector<TableChange> altered;
    for (const auto& [name, column] : pair.columns) {
      if (column.before == model::npos || column.after == model::npos || !column.diff.changes.any()) continue;
      auto kind = column.diff.type_change == sql::TypeChange::NotCastable
                      ? TableChange::Kind::DropAndRecreateColumn
                      : TableChange::Kind::AlterColumn;
      altered.push_back({.kind = kind,
                         .before_column = column.before,
                         .after_column = column.after,
                         .changes = column.diff.changes,
                         .type_change = column.diff.type_change});
    }
    std::sort(altered.begin(), altered.end(), [](const TableChange& x, const TableChange& y) {
      return std::pair(x.before_column, x.after_column) < std::pair(y.before_column, y.after_column);
    });
    changes.insert(changes.end(), altered.begin(), altered.end());
    if ((!previous.primary_key && next.primary_key) || pk_changed)
      changes.push_back({.kind = TableChange::Kind::AddPrimaryKey});
    if (changes.empty()) return;
    push({.kind = StepKind::AlterTable,
          .before_table = pair.before,
          .after_table = pair.after,
          .changes = changes});
  }

  [[nodiscard]] static bool enum_column_with_default(const model::Column& column, const std::string& name) {
    return column.type.family == model::Family::Enum && column.type.name == name && column.default_value;
  }

  void enum_steps() {
    for (std::size_t i = 0; i < b_.enums.size(); ++i) {
      for (std::size_t j = 0; j < a_.enums.size(); ++j) {
        const model::Enum& previous = b_.enums[i];
        const model::Enum& next = a_.enums[j];
        if (previous.name != next.name) continue;
        sql::AlterEnum alter;
        for (const std::string& value : next.values)
          if (std::find(previous.values.begin(), previous.values.end(), value) == previous.values.end())
            alter.added_values.push_back(value);
        for (const std::string& value : previous.values)
          if (std::find(next.values.begin(), next.values.end(), value) == next.values.end())
            alter.dropped_values.push_back(value);
        if (alter.added_values.empty() && alter.dropped_values.empty()) break;
        enum_default_usages(previous.name, next.name, alter);
        push({.kind = StepKind::AlterEnum,
              .before_object = i,
              .after_object = j,
              .alter_enum = std::move(alter)});
        break;
      }
    }
    for (std::size_t j = 0; j < a_.enums.size(); ++j)
      if (b_.enum_named(a_.enums[j].name) == nullptr) push({.kind = StepKind::CreateEnum, .after_object = j});
    for (std::size_t i = 0; i < b_.enums.size(); ++i)
      if (a_.enum_named(b_.enums[i].name) == nullptr) push({.kind = StepKind::DropEnum, .before_object = i});
  }

  void enum_default_usages(const std::string& previous_name, const std::string& next_name,
                           sql::AlterEnum& alter) {
    for (const TablePair& pair : pairs_) {
      if (pair.after != model::npos || pair.before == model::npos) continue;
      const model::Table& table = b_.tables[pair.before];
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        if (enum_column_with_default(table.columns[c], previous_name))
          alter.defaults.push_back({.before_table = pair.before, .before_column = c});
    }
    for (const TablePair& pair : pairs_) {
      if (pair.after == model::npos || pair.before == model::npos) continue;
      const model::Table& previous = b_.tables[pair.before];
      const model::Table& next = a_.tables[pair.after];
      for (const auto& [name, column] : pair.columns)
        if (column.after == model::npos &&
            enum_column_with_default(previous.columns[column.before], previous_name))
          alter.defaults.push_back({.before_table = pair.before, .before_column = column.before});
      for (const auto& [name, column] : pair.columns) {
        if (column.after == model::npos || column.before == model::npos) continue;
        if (!enum_column_with_default(previous.columns[column.before], previous_name)) continue;
        sql::AlterEnum::Usage usage{.before_table = pair.before, .before_column = column.before};
        if (enum_column_with_default(next.columns[column.after], next_name)) {
          usage.after_table = pair.after;
          usage.after_column = column.after;
        }
        alter.defaults.push_back(usage);
      }
    }
  }

  // A unique index dropped from a table without a primary key must go after
  // the ALTER TABLE that makes a primary key of the same columns (Prisma's
  // partial-order fix-up, applied after sorting).
  void move_unique_drops_after_primary_keys() {
    std::size_t i = 0;
    while (i < steps_.size()) {
      const Step& step = steps_[i++];
      if (step.kind != StepKind::DropIndex) continue;
      const model::Table& table = b_.tables[step.before_table];
      const model::Index& index = table.indexes[step.before_object];
      if (!index.is_unique() || table.primary_key) continue;
      for (std::size_t j = i; j < steps_.size(); ++j) {
        const Step& alter = steps_[j];
        if (alter.kind != StepKind::AlterTable || alter.before_table != step.before_table) continue;
        bool adds_key = false;
        bool keeps_columns = true;
        for (const TableChange& change : alter.changes) {
          if (change.kind == TableChange::Kind::AddPrimaryKey) adds_key = true;
          if (change.kind == TableChange::Kind::DropColumn ||
              change.kind == TableChange::Kind::DropAndRecreateColumn)
            for (const model::IndexColumn& column : index.columns)
              if (column.column == change.before_column) keeps_columns = false;
        }
        const model::Table& next = a_.tables[alter.after_table];
        if (!adds_key || !keeps_columns || !next.primary_key) continue;
        bool same_columns = next.primary_key->columns.size() == index.columns.size();
        for (std::size_t c = 0; same_columns && c < index.columns.size(); ++c)
          same_columns = table.columns[index.columns[c].column].name ==
                         next.columns[next.primary_key->columns[c].column].name;
        if (!same_columns) continue;
        Step moved = std::move(steps_[i - 1]);
        steps_.erase(steps_.begin() + static_cast<std::ptrdiff_t>(i - 1));
        steps_.insert(steps_.begin() + static_cast<std::ptrdiff_t>(j), std::move(moved));
        --i;
        break;
      }
    }
  }

  const model::Schema& b_;
  const model::Schema& a_;
  std::vector<TablePair> pairs_;
  std::vector<Step> steps_;
};

}  // namespace

sql::Migration diff(model::Schema before, model::Schema after) {
  sql::Migration migration;
  migration.before = std::move(before);
  migration.after = std::move(after);
  migration.steps = Differ(migration.before, migration.after).run();
  return migration;
}

}  // namespace soulstone::migrate
