// Prisma's human-readable summary of a migration (what `migrate diff` prints
// without --script): sections in a fixed order, then items per step.

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "sql/render.hpp"

namespace soulstone::sql {

namespace {

// The order of the sections, as in Prisma.
enum class Section {
  AlteredExtension,
  DroppedExtension,
  CreatedExtension,
  AddedEnum,
  AddedTable,
  RemovedEnum,
  RemovedTable,
  ChangedEnum,
  ChangedTable,
};

std::string debug_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string debug_value(const model::Value& value) {
  using Kind = model::Value::Kind;
  switch (value.kind) {
    case Kind::String:
      return "String(" + debug_string(value.text) + ")";
    case Kind::Enum:
      return "Enum(" + debug_string(value.text) + ")";
    case Kind::Json:
      return "Json(" + debug_string(value.text) + ")";
    case Kind::DateTime:
      return "DateTime(" + value.text + ")";
    case Kind::Int:
      return "Int(" + value.text + ")";
    case Kind::BigInt:
      return "BigInt(" + value.text + ")";
    case Kind::Float:
      return "Float(BigDecimal(\"" + value.text + "\"))";
    case Kind::Boolean:
      return "Boolean(" + value.text + ")";
    case Kind::Bytes:
      return "Bytes(" + value.text + ")";
    case Kind::List: {
      std::string out = "List([";
      for (std::size_t i = 0; i < value.items.size(); ++i)
        out += (i > 0 ? ", " : "") + debug_value(value.items[i]);
      return out + "])";
    }
  }
  return {};
}

std::string debug_default(const std::optional<model::Default>& value) {
  if (!value) return "None";
  switch (value->kind) {
    case model::Default::Kind::Now:
      return "Some(Now)";
    case model::Default::Kind::Sequence:
      return "Some(Sequence(" + debug_string(value->text) + "))";
    case model::Default::Kind::DbGenerated:
      return value->has_expression ? "Some(DbGenerated(Some(" + debug_string(value->text) + ")))"
                                   : "Some(DbGenerated(None))";
    case model::Default::Kind::Value:
      return "Some(Value(" + debug_value(value->value) + "))";
  }
  return "None";
}

const char* arity_name(model::Arity arity) {
  return arity == model::Arity::Required ? "Required" : arity == model::Arity::Nullable ? "Nullable" : "List";
}

std::string column_changes(const model::Column& previous, const model::Column& next, ColumnChanges changes) {
  std::vector<std::string> parts;
  if (changes.has(ColumnChanges::kArity))
    parts.push_back(std::string("changed from ") + arity_name(previous.type.arity) + " to " +
                    arity_name(next.type.arity));
  if (changes.has(ColumnChanges::kDefault))
    parts.push_back("default changed from `" + debug_default(previous.default_value) + "` to `" +
                    debug_default(next.default_value) + "`");
  if (changes.has(ColumnChanges::kType)) parts.emplace_back("type changed");
  if (changes.has(ColumnChanges::kAutoincrement))
    parts.emplace_back(previous.auto_increment ? "column is no longer autoincrementing"
                                               : "column became autoincrementing");
  std::string out = "(";
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i > 0 ? ", " : "") + parts[i];
  return out + ")";
}

std::string names(const model::Table& table, const std::vector<std::size_t>& columns) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    out += (i > 0 ? ", " : "") + table.columns[columns[i]].name;
  return out;
}

std::string index_names(const model::Table& table, const model::Index& index) {
  std::vector<std::size_t> columns;
  for (const model::IndexColumn& column : index.columns)
    columns.push_back(column.column);
  return names(table, columns);
}

std::pair<Section, std::string> section_of(const Migration& m, const Step& step) {
  const model::Schema& b = m.before;
  const model::Schema& a = m.after;
  switch (step.kind) {
    case StepKind::CreateEnum:
      return {Section::AddedEnum, ""};
    case StepKind::AlterEnum:
      return {Section::ChangedEnum, b.enums[step.before_object].name};
    case StepKind::DropForeignKey:
      return {Section::ChangedTable, b.tables[b.foreign_keys[step.before_object].table].name};
    case StepKind::DropIndex:
    case StepKind::AlterTable:
    case StepKind::RenameIndex:
      return {Section::ChangedTable, b.tables[step.before_table].name};
    case StepKind::DropTable:
      return {Section::RemovedTable, ""};
    case StepKind::DropEnum:
      return {Section::RemovedEnum, ""};
    case StepKind::CreateTable:
      return {Section::AddedTable, ""};
    case StepKind::RenameForeignKey:
    case StepKind::AddForeignKey:
      return {Section::ChangedTable, a.tables[a.foreign_keys[step.after_object].table].name};
    case StepKind::CreateIndex:
      return {Section::ChangedTable, a.tables[step.after_table].name};
    case StepKind::CreateExtension:
      return {Section::CreatedExtension, a.extensions[step.after_object].name};
    case StepKind::AlterExtension:
      return {Section::AlteredExtension, b.extensions[step.before_object].name};
    case StepKind::DropExtension:
      return {Section::DroppedExtension, b.extensions[step.before_object].name};
    case StepKind::CreateSchema:
      break;
  }
  return {Section::AddedEnum, "\x01skip"};
}

std::string header(Section section, const std::string& name) {
  switch (section) {
    case Section::AddedEnum:
      return "\n[+] Added enums\n";
    case Section::AddedTable:
      return "\n[+] Added tables\n";
    case Section::RemovedEnum:
      return "\n[-] Removed enums\n";
    case Section::RemovedTable:
      return "\n[-] Removed tables\n";
    case Section::ChangedEnum:
      return "\n[*] Changed the `" + name + "` enum\n";
    case Section::ChangedTable:
      return "\n[*] Changed the `" + name + "` table\n";
    case Section::CreatedExtension:
      return "\n[+] Added extensions\n";
    case Section::AlteredExtension:
      return "\n[*] Changed the `" + name + "` extension\n";
    case Section::DroppedExtension:
      return "\n[-] Removed extensions\n`";
  }
  return {};
}

void alter_table_items(const Migration& m, const Step& step, std::string& out) {
  const model::Table& previous = m.before.tables[step.before_table];
  const model::Table& next = m.after.tables[step.after_table];
  for (const TableChange& change : step.changes) {
    switch (change.kind) {
      case TableChange::Kind::AddColumn:
        out += "  [+] Added column `" + next.columns[change.after_column].name + "`\n";
        break;
      case TableChange::Kind::AlterColumn:
        out += "  [*] Altered column `" + next.columns[change.after_column].name + "` " +
               column_changes(previous.columns[change.before_column], next.columns[change.after_column],
                              change.changes) +
               "\n";
        break;
      case TableChange::Kind::DropColumn:
        out += "  [-] Removed column `" + previous.columns[change.before_column].name + "`\n";
        break;
      case TableChange::Kind::DropAndRecreateColumn:
        out += "  [*] Column `" + next.columns[change.after_column].name +
               "` would be dropped and recreated " +
               column_changes(previous.columns[change.before_column], next.columns[change.after_column],
                              change.changes) +
               "\n";
        break;
      case TableChange::Kind::DropPrimaryKey:
        out += "  [-] Dropped the primary key on columns (" + index_names(previous, *previous.primary_key) +
               ")\n";
        break;
      case TableChange::Kind::RenamePrimaryKey:
        out += "  [*] Renamed the primary key on columns (" + index_names(previous, *previous.primary_key) +
               ")\n";
        break;
      case TableChange::Kind::AddPrimaryKey:
        // Prisma prints the closing parenthesis twice here; parity keeps it.
        out += "  [+] Added primary key on columns (" + index_names(next, *next.primary_key) + ")\n)\n";
        break;
    }
  }
}

void items(const Migration& m, const Step& step, std::string& out) {
  const model::Schema& b = m.before;
  const model::Schema& a = m.after;
  switch (step.kind) {
    case StepKind::CreateEnum:
      out += "  - " + a.enums[step.after_object].name + "\n";
      break;
    case StepKind::AlterEnum:
      for (const std::string& value : step.alter_enum.added_values)
        out += "  [+] Added variant `" + value + "`\n";
      for (const std::string& value : step.alter_enum.dropped_values)
        out += "  [-] Removed variant `" + value + "`\n";
      break;
    case StepKind::DropForeignKey: {
      const model::ForeignKey& key = b.foreign_keys[step.before_object];
      out += "  [-] Removed foreign key on columns (" + names(b.tables[key.table], key.columns) + ")\n";
      break;
    }
    case StepKind::DropIndex: {
      const model::Table& table = b.tables[step.before_table];
      const model::Index& index = table.indexes[step.before_object];
      out += std::string("  [-] Removed ") + (index.is_unique() ? "unique " : "") + "index on columns (" +
             index_names(table, index) + ")\n";
      break;
    }
    case StepKind::AlterTable:
      alter_table_items(m, step, out);
      break;
    case StepKind::DropTable:
      out += "  - " + b.tables[step.before_table].name + "\n";
      break;
    case StepKind::DropEnum:
      out += "  - " + b.enums[step.before_object].name + "\n";
      break;
    case StepKind::CreateTable:
      out += "  - " + a.tables[step.after_table].name + "\n";
      break;
    case StepKind::RenameForeignKey:
      out += "  [*] Renamed the foreign key \"" + b.foreign_keys[step.before_object].name + "\" to \"" +
             a.foreign_keys[step.after_object].name + "\"\n";
      break;
    case StepKind::CreateIndex: {
      const model::Table& table = a.tables[step.after_table];
      const model::Index& index = table.indexes[step.after_object];
      out += std::string("  [+] Added ") + (index.is_unique() ? "unique " : "") + "index on columns (" +
             index_names(table, index) + ")\n";
      break;
    }
    case StepKind::AddForeignKey: {
      const model::ForeignKey& key = a.foreign_keys[step.after_object];
      out += "  [+] Added foreign key on columns (" + names(a.tables[key.table], key.columns) + ")\n";
      break;
    }
    case StepKind::RenameIndex:
      out += "  [*] Renamed index `" + b.tables[step.before_table].indexes[step.before_object].name +
             "` to `" + a.tables[step.after_table].indexes[step.after_object].name + "`\n";
      break;
    case StepKind::CreateExtension:
      out += "  - " + a.extensions[step.after_object].name + "\n";
      break;
    default:
      break;
  }
}

}  // namespace

std::string render_summary(const Migration& migration) {
  if (migration.steps.empty()) return "No difference detected.";
  std::vector<std::tuple<Section, std::string, std::size_t>> entries;
  for (std::size_t i = 0; i < migration.steps.size(); ++i) {
    auto [section, name] = section_of(migration, migration.steps[i]);
    if (name == "\x01skip") continue;
    entries.emplace_back(section, std::move(name), i);
  }
  std::sort(entries.begin(), entries.end());
  std::string out;
  std::pair<Section, std::string> state{Section::AddedEnum, ""};
  for (std::size_t line = 0; line < entries.size(); ++line) {
    const auto& [section, name, index] = entries[line];
    if (line == 0 || state.first != section || state.second != name) out += header(section, name);
    state = {section, name};
    items(migration, migration.steps[index], out);
  }
  return out;
}

}  // namespace soulstone::sql
