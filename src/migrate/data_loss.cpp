// Prisma's destructive change checker in three phases, as Prisma runs it: a
// plan of checks from the steps (no I/O), the counts those checks need (one
// COUNT(*) per table or column, only with a database), and the messages the
// counts select. Step positions, check order and wording follow the engine
// of the parity target (Prisma 7.10), so the migration file's header and the
// warnings of `migrate dev` read as Prisma's.

#include "migrate/data_loss.hpp"

#include <map>
#include <optional>
#include <utility>

#include "model/model.hpp"

namespace soulstone::migrate {

namespace {

enum class Kind {
  // warnings
  DropAndRecreateColumn,
  NonEmptyColumnDrop,
  NonEmptyTableDrop,
  RiskyCast,
  NotCastable,
  PrimaryKeyChange,
  UniqueConstraintAddition,
  EnumValueRemoval,
  // unexecutable steps
  AddedRequiredField,
  AddedRequiredFieldWithPrismaDefault,
  MadeOptionalFieldRequired,
  MadeScalarFieldIntoArrayField,
  DropAndRecreateRequiredColumn,
};

struct Check {
  Kind kind;
  std::size_t step = 0;
  std::string table;  // or the enum, for EnumValueRemoval
  std::string column;
  std::string previous_type, next_type;
  std::vector<std::string> names;  // columns of a unique index, or removed enum values
};

struct Plan {
  std::vector<Check> warnings;
  std::vector<Check> unexecutable;
};

// What the checker knows of the data: nothing (pure check) or the counts the
// checks asked for.
struct Counts {
  std::map<std::string, long long> rows;                            // per table
  std::map<std::pair<std::string, std::string>, long long> values;  // non-null values per column
  [[nodiscard]] std::optional<long long> rows_of(const std::string& table) const {
    auto found = rows.find(table);
    return found == rows.end() ? std::nullopt : std::optional(found->second);
  }
  [[nodiscard]] std::optional<long long> values_of(const std::string& table,
                                                   const std::string& column) const {
    auto found = values.find({table, column});
    return found == values.end() ? std::nullopt : std::optional(found->second);
  }
};

bool needs_row_count(Kind kind) {
  switch (kind) {
    case Kind::NonEmptyTableDrop:
    case Kind::PrimaryKeyChange:
    case Kind::DropAndRecreateColumn:
    case Kind::AddedRequiredField:
    case Kind::AddedRequiredFieldWithPrismaDefault:
    case Kind::MadeOptionalFieldRequired:
    case Kind::MadeScalarFieldIntoArrayField:
    case Kind::DropAndRecreateRequiredColumn:
      return true;
    default:
      return false;
  }
}

bool needs_value_count(Kind kind) {
  switch (kind) {
    case Kind::NonEmptyColumnDrop:
    case Kind::RiskyCast:
    case Kind::DropAndRecreateColumn:
    case Kind::MadeOptionalFieldRequired:
    case Kind::MadeScalarFieldIntoArrayField:
      return true;
    default:
      return false;
  }
}

// Prisma's display of a column type: the native type with its arguments
// joined by commas, else the scalar family.
std::string display_type(const model::Column& column) {
  const model::ColumnType& type = column.type;
  if (type.native) {
    std::string out(model::native_type_name(*type.native));
    if (!type.args.empty()) {
      out += '(';
      for (std::size_t i = 0; i < type.args.size(); ++i)
        out += (i > 0 ? "," : "") + std::to_string(type.args[i]);
      out += ')';
    }
    return out;
  }
  return type.name.empty() ? "Unsupported" : type.name;
}

bool is_required(const model::Column& column) { return column.type.arity == model::Arity::Required; }
bool has_default(const model::Column& column) { return column.default_value || column.auto_increment; }

void plan_alter_column(Plan& plan, std::size_t step, const model::Table& table, const model::Column& previous,
                       const model::Column& next, const sql::TableChange& change) {
  const bool arity_changed = change.changes.has(sql::ColumnChanges::kArity);
  if (arity_changed && previous.type.arity == model::Arity::Nullable && is_required(next))
    plan.unexecutable.push_back({.kind = Kind::MadeOptionalFieldRequired,
                                 .step = step,
                                 .table = table.name,
                                 .column = previous.name});
  if (arity_changed && previous.type.arity != model::Arity::List && next.type.arity == model::Arity::List)
    plan.unexecutable.push_back({.kind = Kind::MadeScalarFieldIntoArrayField,
                                 .step = step,
                                 .table = table.name,
                                 .column = previous.name});
  if (change.type_change == sql::TypeChange::RiskyCast || change.type_change == sql::TypeChange::NotCastable)
    plan.warnings.push_back(
        {.kind = change.type_change == sql::TypeChange::RiskyCast ? Kind::RiskyCast : Kind::NotCastable,
         .step = step,
         .table = table.name,
         .column = previous.name,
         .previous_type = display_type(previous),
         .next_type = display_type(next)});
}

void plan_recreate_column(Plan& plan, std::size_t step, const model::Table& table,
                          const model::Column& previous, const model::Column& next,
                          const sql::TableChange& change) {
  Check check{
      .kind = Kind::DropAndRecreateColumn, .step = step, .table = table.name, .column = previous.name};
  if (change.changes.has(sql::ColumnChanges::kArity) && previous.type.arity == model::Arity::Nullable &&
      is_required(next) && !has_default(next)) {
    check.kind = Kind::AddedRequiredField;
    plan.unexecutable.push_back(check);
  } else if (is_required(next) && !has_default(next)) {
    check.kind = Kind::DropAndRecreateRequiredColumn;
    plan.unexecutable.push_back(check);
  } else {
    plan.warnings.push_back(check);
  }
}

void plan_alter_table(Plan& plan, std::size_t index, const sql::Migration& migration, const sql::Step& step) {
  const model::Table& previous = migration.before.tables[step.before_table];
  const model::Table& next = migration.after.tables[step.after_table];
  using ChangeKind = sql::TableChange::Kind;
  for (const sql::TableChange& change : step.changes) {
    switch (change.kind) {
      case ChangeKind::DropColumn:
        plan.warnings.push_back({.kind = Kind::NonEmptyColumnDrop,
                                 .step = index,
                                 .table = previous.name,
                                 .column = previous.columns[change.before_column].name});
        break;
      case ChangeKind::AlterColumn:
        plan_alter_column(plan, index, previous, previous.columns[change.before_column],
                          next.columns[change.after_column], change);
        break;
      case ChangeKind::AddColumn: {
        const model::Column& column = next.columns[change.after_column];
        if (!is_required(column) || has_default(column)) break;
        plan.unexecutable.push_back({.kind = change.has_virtual_default
                                                 ? Kind::AddedRequiredFieldWithPrismaDefault
                                                 : Kind::AddedRequiredField,
                                     .step = index,
                                     .table = next.name,
                                     .column = column.name});
        break;
      }
      case ChangeKind::DropPrimaryKey:
        plan.warnings.push_back({.kind = Kind::PrimaryKeyChange, .step = index, .table = previous.name});
        break;
      case ChangeKind::DropAndRecreateColumn:
        plan_recreate_column(plan, index, previous, previous.columns[change.before_column],
                             next.columns[change.after_column], change);
        break;
      case ChangeKind::AddPrimaryKey:
      case ChangeKind::RenamePrimaryKey:
        break;
    }
  }
}

Plan make_plan(const sql::Migration& migration) {
  Plan plan;
  for (std::size_t index = 0; index < migration.steps.size(); ++index) {
    const sql::Step& step = migration.steps[index];
    switch (step.kind) {
      case sql::StepKind::AlterTable:
        plan_alter_table(plan, index, migration, step);
        break;
      case sql::StepKind::DropTable:
        plan.warnings.push_back({.kind = Kind::NonEmptyTableDrop,
                                 .step = index,
                                 .table = migration.before.tables[step.before_table].name});
        break;
      case sql::StepKind::CreateIndex: {
        // Only on a table that already existed (it may hold duplicates).
        if (step.before_table == model::npos || step.from_drop_and_recreate) break;
        const model::Table& table = migration.after.tables[step.after_table];
        const model::Index& created = table.indexes[step.after_object];
        if (!created.is_unique()) break;
        Check check{.kind = Kind::UniqueConstraintAddition, .step = index, .table = table.name};
        for (const model::IndexColumn& column : created.columns)
          check.names.push_back(table.columns[column.column].name);
        plan.warnings.push_back(std::move(check));
        break;
      }
      case sql::StepKind::AlterEnum: {
        if (step.alter_enum.dropped_values.empty()) break;
        const std::string& name = step.after_object != model::npos
                                      ? migration.after.enums[step.after_object].name
                                      : migration.before.enums[step.before_object].name;
        plan.warnings.push_back({.kind = Kind::EnumValueRemoval,
                                 .step = index,
                                 .table = name,
                                 .names = step.alter_enum.dropped_values});
        break;
      }
      default:
        break;
    }
  }
  return plan;
}

// Prisma inspects for the unexecutable checks first, then the warnings; a
// count taken for one check is seen by every other check of that table.
Counts inspect(const Plan& plan, pg::Connection& connection) {
  Counts counts;
  auto count = [&](const std::string& sql) {
    return std::stoll(std::string(connection.exec(sql).get(0, 0)));
  };
  auto visit = [&](const Check& check) {
    const std::string table = connection.quote_identifier(check.table);
    if (needs_row_count(check.kind) && !counts.rows.contains(check.table))
      counts.rows[check.table] = count("SELECT COUNT(*) FROM " + table);
    if (needs_value_count(check.kind) && !counts.values.contains({check.table, check.column}))
      counts.values[{check.table, check.column}] =
          count("SELECT COUNT(*) FROM " + table + " WHERE " + connection.quote_identifier(check.column) +
                " IS NOT NULL");
  };
  for (const Check& check : plan.unexecutable)
    visit(check);
  for (const Check& check : plan.warnings)
    visit(check);
  return counts;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names)
    out += (out.empty() ? "" : ",") + name;
  return out;
}

std::optional<std::string> warning_message(const Check& c, const Counts& counts) {
  const std::optional<long long> rows = counts.rows_of(c.table);
  const std::optional<long long> values = counts.values_of(c.table, c.column);
  const std::string on = "` on the `" + c.table + "` table";
  switch (c.kind) {
    case Kind::DropAndRecreateColumn:
      if (rows == 0 || values == 0) return std::nullopt;
      return "The `" + c.column + "` column on the `" + c.table + "` table would be dropped and recreated. " +
             (values ? "This will lead to data loss."
                     : "This will lead to data loss if there is data in the column.");
    case Kind::NonEmptyTableDrop:
      if (rows == 0) return std::nullopt;
      if (rows)
        return "You are about to drop the `" + c.table + "` table, which is not empty (" +
               std::to_string(*rows) + " rows).";
      return "You are about to drop the `" + c.table +
             "` table. If the table is not empty, all the data it contains will be lost.";
    case Kind::NonEmptyColumnDrop:
      if (rows == 0 || values == 0) return std::nullopt;
      if (values)
        return "You are about to drop the column `" + c.column + on + ", which still contains " +
               std::to_string(*values) + " non-null values.";
      return "You are about to drop the column `" + c.column + on +
             ". All the data in the column will be lost.";
    case Kind::RiskyCast: {
      if (rows == 0 || values == 0) return std::nullopt;
      std::string cast =
          "The data in that column will be cast from `" + c.previous_type + "` to `" + c.next_type + "`.";
      if (values)
        return "You are about to alter the column `" + c.column + on + ", which contains " +
               std::to_string(*values) + " non-null values. " + cast;
      return "You are about to alter the column `" + c.column + on +
             ". The data in that column could be lost. " + cast;
    }
    case Kind::NotCastable: {
      if (rows == 0 || values == 0) return std::nullopt;
      std::string cast = "The data in that column will be cast from `" + c.previous_type + "` to `" +
                         c.next_type +
                         "`. This cast may fail. Please make sure the data in the column can be cast.";
      if (values)
        return "You are about to alter the column `" + c.column + on + ", which contains " +
               std::to_string(*values) + " non-null values. " + cast;
      return "You are about to alter the column `" + c.column + on + ". " + cast;
    }
    case Kind::PrimaryKeyChange:
      if (rows == 0) return std::nullopt;
      return "The primary key for the `" + c.table +
             "` table will be changed. If it partially fails, the table could be left without primary key "
             "constraint.";
    case Kind::UniqueConstraintAddition:
      return "A unique constraint covering the columns `[" + joined(c.names) + "]` on the table `" + c.table +
             "` will be added. If there are existing duplicate values, this will fail.";
    case Kind::EnumValueRemoval:
      return "The values [" + joined(c.names) + "] on the enum `" + c.table +
             "` will be removed. If these variants are still used in the database, this will fail.";
    default:
      return std::nullopt;
  }
}

std::optional<std::string> unexecutable_message(const Check& c, const Counts& counts) {
  const std::optional<long long> rows = counts.rows_of(c.table);
  const std::optional<long long> values = counts.values_of(c.table, c.column);
  const std::string table_rows = rows ? "There are " + std::to_string(*rows) +
                                            " rows in this table, it is not possible to execute this step."
                                      : "This is not possible if the table is not empty.";
  switch (c.kind) {
    case Kind::AddedRequiredField:
      if (rows == 0) return std::nullopt;
      return "Added the required column `" + c.column + "` to the `" + c.table +
             "` table without a default value. " + table_rows;
    case Kind::AddedRequiredFieldWithPrismaDefault:
      if (rows == 0) return std::nullopt;
      return "The required column `" + c.column + "` was added to the `" + c.table +
             "` table with a prisma-level default value. " + table_rows +
             " Please add this column as optional, then populate it before making it required.";
    case Kind::MadeOptionalFieldRequired:
      if (rows == 0) return std::nullopt;
      if (rows && values) {
        if (*rows - *values == 0) return std::nullopt;
        return "Made the column `" + c.column + "` on table `" + c.table + "` required, but there are " +
               std::to_string(*rows - *values) + " existing NULL values.";
      }
      return "Made the column `" + c.column + "` on table `" + c.table +
             "` required. This step will fail if there are existing NULL values in that column.";
    case Kind::MadeScalarFieldIntoArrayField: {
      if (rows == 0 || values == 0) return std::nullopt;
      std::string head = "Changed the column `" + c.column + "` on the `" + c.table +
                         "` table from a scalar field to a list field. ";
      if (values)
        return head + "There are " + std::to_string(*values) +
               " existing non-null values in that column, this step cannot be executed.";
      return head + "If there are non-null values in that column, this step will fail.";
    }
    case Kind::DropAndRecreateRequiredColumn:
      if (rows == 0) return std::nullopt;
      return "Changed the type of `" + c.column + "` on the `" + c.table +
             "` table. No cast exists, the column would be dropped and recreated, which cannot be done " +
             (rows ? "since the column is required and there is data in the table."
                   : "if there is data, since the column is required.");
    default:
      return std::nullopt;
  }
}

DataLossReport evaluate(const Plan& plan, const Counts& counts) {
  DataLossReport report;
  for (const Check& check : plan.unexecutable)
    if (auto message = unexecutable_message(check, counts))
      report.unexecutable.push_back({.step = check.step, .message = std::move(*message)});
  for (const Check& check : plan.warnings)
    if (auto message = warning_message(check, counts))
      report.warnings.push_back({.step = check.step, .message = std::move(*message)});
  return report;
}

}  // namespace

DataLossReport check_data_loss(const sql::Migration& migration) {
  return evaluate(make_plan(migration), Counts{});
}

DataLossReport check_data_loss(const sql::Migration& migration, pg::Connection& connection) {
  Plan plan = make_plan(migration);
  return evaluate(plan, inspect(plan, connection));
}

std::vector<std::string> header_lines(const DataLossReport& report) {
  std::vector<std::string> lines;
  for (const DataLossFinding& finding : report.warnings)
    lines.push_back(finding.message);
  for (const DataLossFinding& finding : report.unexecutable)
    lines.push_back(finding.message);
  return lines;
}

}  // namespace soulstone::migrate
