// ALTER TABLE with its clauses (and the statements PostgreSQL needs around
// them for sequences), and the enum changes: ADD VALUE, or the swap through
// a new type when values are removed.

#include <algorithm>
#include <cctype>
#include <string>

#include "sql/alter.hpp"
#include "sql/render.hpp"

namespace soulstone::sql {

namespace {

struct AlterOutput {
  std::vector<std::string> before;
  std::vector<std::string> clauses;
  std::vector<std::string> after;
};

bool sequence_still_used(const model::Schema& after, const std::string& sequence, std::size_t table,
                         std::size_t column) {
  for (std::size_t t = 0; t < after.tables.size(); ++t) {
    for (std::size_t c = 0; c < after.tables[t].columns.size(); ++c) {
      if (t == table && c == column) continue;
      const auto& value = after.tables[t].columns[c].default_value;
      if (value && value->kind == model::Default::Kind::Sequence && value->text == sequence) return true;
    }
  }
  return false;
}

void drop_default(const Migration& migration, const Step& step, const TableChange& change,
                  const std::string& prefix, AlterOutput& out) {
  out.clauses.push_back(prefix + " DROP DEFAULT");
  // The sequence behind a serial column goes too, unless another column uses it.
  const model::Column& previous = migration.before.tables[step.before_table].columns[change.before_column];
  if (previous.default_value && previous.default_value->kind == model::Default::Kind::Sequence &&
      !sequence_still_used(migration.after, previous.default_value->text, step.after_table,
                           change.after_column)) {
    out.after.push_back("DROP SEQUENCE " + quote_identifier(previous.default_value->text));
  }
}

void alter_column(const Migration& migration, const Step& step, const TableChange& change, AlterOutput& out) {
  const model::Table& previous_table = migration.before.tables[step.before_table];
  const model::Table& next_table = migration.after.tables[step.after_table];
  const model::Column& previous = previous_table.columns[change.before_column];
  const model::Column& next = next_table.columns[change.after_column];
  const std::string prefix = "ALTER COLUMN " + quote_identifier(previous.name);
  bool set_type = false;
  // Clauses follow the order of Prisma's change bits: arity, default, type, autoincrement.
  if (change.changes.has(ColumnChanges::kArity)) {
    using model::Arity;
    Arity from = previous.type.arity;
    Arity to = next.type.arity;
    if (from == Arity::List || to == Arity::List) set_type = true;
    if (to == Arity::Nullable && from != Arity::Nullable) out.clauses.push_back(prefix + " DROP NOT NULL");
    if (to == Arity::Required && from != Arity::Required) out.clauses.push_back(prefix + " SET NOT NULL");
  }
  if (change.changes.has(ColumnChanges::kDefault)) {
    if (next.default_value) {
      out.clauses.push_back(prefix + " SET DEFAULT " +
                            render_default(*next.default_value, render_column_type(next)));
    } else {
      drop_default(migration, step, change, prefix, out);
    }
  }
  if (change.changes.has(ColumnChanges::kType)) set_type = true;
  if (change.changes.has(ColumnChanges::kAutoincrement)) {
    if (previous.auto_increment) {
      drop_default(migration, step, change, prefix, out);
    } else {
      // What PostgreSQL would have created for a SERIAL column.
      std::string sequence = next_table.name + "_" + next.name + "_seq";
      std::transform(sequence.begin(), sequence.end(), sequence.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out.before.push_back("CREATE SEQUENCE " + sequence);
      out.clauses.push_back(prefix + " SET DEFAULT nextval(" + quote_string(sequence) + ")");
      out.after.push_back("ALTER SEQUENCE " + sequence + " OWNED BY " +
                          quote_identifier(previous_table.name) + "." + quote_identifier(previous.name));
    }
  }
  if (set_type) out.clauses.push_back(prefix + " SET DATA TYPE " + render_column_type(next));
}

std::string join_names(const model::Table& table, const model::Index& index, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < index.columns.size(); ++i) {
    if (i > 0) out += separator;
    out += quote_identifier(table.columns[index.columns[i].column].name);
  }
  return out;
}

}  // namespace

std::vector<std::string> render_alter_table(const Migration& migration, const Step& step) {
  const model::Table& previous = migration.before.tables[step.before_table];
  const model::Table& next = migration.after.tables[step.after_table];
  AlterOutput out;
  for (const TableChange& change : step.changes) {
    switch (change.kind) {
      case TableChange::Kind::DropPrimaryKey:
        out.clauses.push_back("DROP CONSTRAINT " + quote_identifier(previous.primary_key->name));
        break;
      case TableChange::Kind::RenamePrimaryKey:
        out.clauses.push_back("RENAME CONSTRAINT " + quote_identifier(previous.primary_key->name) + " TO " +
                              quote_identifier(next.primary_key->name));
        break;
      case TableChange::Kind::AddPrimaryKey:
        out.clauses.push_back("ADD CONSTRAINT " + quote_identifier(next.primary_key->name) +
                              " PRIMARY KEY (" + join_names(next, *next.primary_key, ", ") + ")");
        break;
      case TableChange::Kind::AddColumn:
        out.clauses.push_back("ADD COLUMN " + render_column(next.columns[change.after_column]));
        break;
      case TableChange::Kind::DropColumn:
        out.clauses.push_back("DROP COLUMN " + quote_identifier(previous.columns[change.before_column].name));
        break;
      case TableChange::Kind::AlterColumn:
        alter_column(migration, step, change, out);
        break;
      case TableChange::Kind::DropAndRecreateColumn:
        out.clauses.push_back("DROP COLUMN " + quote_identifier(previous.columns[change.before_column].name));
        out.clauses.push_back("ADD COLUMN " + render_column(next.columns[change.after_column]));
        break;
    }
  }
  if (out.clauses.empty()) return {};
  std::string statement = "ALTER TABLE " + quote_identifier(previous.name) + " ";
  for (std::size_t i = 0; i < out.clauses.size(); ++i) {
    if (i > 0) statement += ",\n";
    statement += out.clauses[i];
  }
  std::vector<std::string> statements = std::move(out.before);
  statements.push_back(std::move(statement));
  for (std::string& later : out.after)
    statements.push_back(std::move(later));
  return statements;
}

std::vector<std::string> render_alter_enum(const Migration& migration, const Step& step) {
  const model::Enum& previous = migration.before.enums[step.before_object];
  const model::Enum& next = migration.after.enums[step.after_object];
  const AlterEnum& alter = step.alter_enum;
  std::vector<std::string> statements;
  if (alter.dropped_values.empty()) {
    for (const std::string& value : alter.added_values)
      statements.push_back("ALTER TYPE " + quote_identifier(previous.name) + " ADD VALUE " +
                           quote_string(value));
    if (statements.size() > 1) {
      statements[0] =
          "-- This migration adds more than one value to an enum.\n"
          "-- With PostgreSQL versions 11 and earlier, this is not possible\n"
          "-- in a single migration. This can be worked around by creating\n"
          "-- multiple migrations, each migration adding only one value to\n"
          "-- the enum.\n\n\n" +
          statements[0];
    }
    return statements;
  }
  // Values cannot be removed from a PostgreSQL enum: build the new type,
  // move every column over, swap the names, drop the old type.
  const std::string temporary = quote_identifier(next.name + "_new");
  const std::string old_name = previous.name + "_old";
  statements.emplace_back("BEGIN");
  std::string create = "CREATE TYPE " + temporary + " AS ENUM (";
  for (std::size_t i = 0; i < next.values.size(); ++i)
    create += (i > 0 ? ", " : "") + quote_string(next.values[i]);
  statements.push_back(create + ")");
  for (const AlterEnum::Usage& usage : alter.defaults) {
    const model::Table& table = migration.before.tables[usage.before_table];
    statements.push_back("ALTER TABLE " + quote_identifier(table.name) + " ALTER COLUMN " +
                         quote_identifier(table.columns[usage.before_column].name) + " DROP DEFAULT");
  }
  for (const model::Table& table : migration.after.tables) {
    for (const model::Column& column : table.columns) {
      if (column.type.family != model::Family::Enum || column.type.name != next.name) continue;
      std::string array = column.type.arity == model::Arity::List ? "[]" : "";
      std::string name = quote_identifier(column.name);
      statements.push_back("ALTER TABLE " + quote_identifier(table.name) + " ALTER COLUMN " + name +
                           " TYPE " + temporary + array + " USING (" + name + "::text::" + temporary + array +
                           ")");
    }
  }
  statements.push_back("ALTER TYPE " + quote_identifier(previous.name) + " RENAME TO " +
                       quote_identifier(old_name));
  statements.push_back("ALTER TYPE " + temporary + " RENAME TO " + quote_identifier(next.name));
  statements.push_back("DROP TYPE " + quote_identifier(old_name));
  for (const AlterEnum::Usage& usage : alter.defaults) {
    if (usage.after_table == npos) continue;
    const model::Column& column = migration.after.tables[usage.after_table].columns[usage.after_column];
    if (!column.default_value) continue;
    const model::Table& previous_table = migration.before.tables[usage.before_table];
    statements.push_back("ALTER TABLE " + quote_identifier(previous_table.name) + " ALTER COLUMN " +
                         quote_identifier(previous_table.columns[usage.before_column].name) +
                         " SET DEFAULT " + render_default(*column.default_value, render_column_type(column)));
  }
  statements.emplace_back("COMMIT");
  return statements;
}

}  // namespace soulstone::sql
