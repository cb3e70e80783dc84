// The script as a whole, and the statements of each kind of step.

#include <string>

#include "sql/alter.hpp"
#include "sql/render.hpp"

namespace soulstone::sql {

namespace {

std::int64_t key(std::size_t position) { return position == npos ? -1 : static_cast<std::int64_t>(position); }

std::string create_extension(const model::Extension& extension) {
  std::string out = "CREATE EXTENSION IF NOT EXISTS " + quote_identifier(extension.name);
  if (!extension.version.empty() || !extension.schema.empty()) out += " WITH";
  if (!extension.schema.empty()) out += " SCHEMA " + quote_identifier(extension.schema);
  if (!extension.version.empty()) out += " VERSION " + quote_identifier(extension.version);
  return out;
}

std::string create_enum(const model::Enum& value) {
  std::string out = "CREATE TYPE " + quote_identifier(value.name) + " AS ENUM (";
  for (std::size_t i = 0; i < value.values.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote_string(value.values[i]);
  }
  return out + ")";
}

}  // namespace

std::string_view description(StepKind kind) noexcept {
  switch (kind) {
    case StepKind::CreateSchema:
      return "CreateSchema";
    case StepKind::DropExtension:
      return "DropExtension";
    case StepKind::CreateExtension:
      return "CreateExtension";
    case StepKind::AlterExtension:
      return "AlterExtension";
    case StepKind::CreateEnum:
      return "CreateEnum";
    case StepKind::AlterEnum:
      return "AlterEnum";
    case StepKind::DropForeignKey:
      return "DropForeignKey";
    case StepKind::DropIndex:
      return "DropIndex";
    case StepKind::AlterTable:
      return "AlterTable";
    case StepKind::DropTable:
      return "DropTable";
    case StepKind::DropEnum:
      return "DropEnum";
    case StepKind::CreateTable:
      return "CreateTable";
    case StepKind::CreateIndex:
      return "CreateIndex";
    case StepKind::RenameForeignKey:
      return "RenameForeignKey";
    case StepKind::AddForeignKey:
      return "AddForeignKey";
    case StepKind::RenameIndex:
      return "RenameIndex";
  }
  return {};
}

std::vector<std::int64_t> Step::sort_key() const {
  switch (kind) {
    case StepKind::CreateSchema:
    case StepKind::CreateExtension:
    case StepKind::CreateEnum:
    case StepKind::AddForeignKey:
      return {key(after_object)};
    case StepKind::DropExtension:
    case StepKind::DropEnum:
    case StepKind::DropForeignKey:
      return {key(before_object)};
    case StepKind::AlterExtension:
    case StepKind::AlterEnum:
    case StepKind::RenameForeignKey:
      return {key(before_object), key(after_object)};
    case StepKind::DropIndex:
      return {key(before_table), key(before_object)};
    case StepKind::AlterTable:
      return {key(before_table), key(after_table)};
    case StepKind::DropTable:
      return {key(before_table)};
    case StepKind::CreateTable:
      return {key(after_table)};
    case StepKind::CreateIndex:
      return {key(before_table), key(after_table), key(after_object), from_drop_and_recreate ? 1 : 0};
    case StepKind::RenameIndex:
      return {key(before_table), key(before_object), key(after_table), key(after_object)};
  }
  return {};
}

std::vector<std::string> render_step(const Migration& migration, const Step& step) {
  const model::Schema& before = migration.before;
  const model::Schema& after = migration.after;
  switch (step.kind) {
    case StepKind::CreateSchema:
      return {"CREATE SCHEMA IF NOT EXISTS " + quote_identifier(after.namespaces[step.after_object])};
    case StepKind::CreateExtension:
      return {create_extension(after.extensions[step.after_object])};
    case StepKind::DropExtension:
      return {"DROP EXTENSION " + quote_identifier(before.extensions[step.before_object].name)};
    case StepKind::AlterExtension: {
      std::vector<std::string> out;
      const model::Extension& previous = before.extensions[step.before_object];
      const model::Extension& next = after.extensions[step.after_object];
      for (int change : step.extension_changes) {
        out.push_back("ALTER EXTENSION " + quote_identifier(previous.name) +
                      (change == 0 ? " UPDATE TO " + quote_identifier(next.version)
                                   : " SET SCHEMA " + quote_identifier(next.schema)));
      }
      return out;
    }
    case StepKind::CreateEnum:
      return {create_enum(after.enums[step.after_object])};
    case StepKind::AlterEnum:
      return render_alter_enum(migration, step);
    case StepKind::DropEnum:
      return {"DROP TYPE " + quote_identifier(before.enums[step.before_object].name)};
    case StepKind::DropForeignKey: {
      const model::ForeignKey& key = before.foreign_keys[step.before_object];
      return {"ALTER TABLE " + quote_identifier(before.tables[key.table].name) + " DROP CONSTRAINT " +
              quote_identifier(key.name)};
    }
    case StepKind::AddForeignKey:
      return {render_add_foreign_key(after, after.foreign_keys[step.after_object])};
    case StepKind::RenameForeignKey: {
      const model::ForeignKey& previous = before.foreign_keys[step.before_object];
      const model::ForeignKey& next = after.foreign_keys[step.after_object];
      return {"ALTER TABLE " + quote_identifier(before.tables[previous.table].name) + " RENAME CONSTRAINT " +
              quote_identifier(previous.name) + " TO " + quote_identifier(next.name)};
    }
    case StepKind::DropIndex:
      return {"DROP INDEX " +
              quote_identifier(before.tables[step.before_table].indexes[step.before_object].name)};
    case StepKind::CreateIndex: {
      const model::Table& table = after.tables[step.after_table];
      return {render_create_index(table, table.indexes[step.after_object])};
    }
    case StepKind::RenameIndex:
      return {"ALTER INDEX " +
              quote_identifier(before.tables[step.before_table].indexes[step.before_object].name) +
              " RENAME TO " +
              quote_identifier(after.tables[step.after_table].indexes[step.after_object].name)};
    case StepKind::AlterTable:
      return render_alter_table(migration, step);
    case StepKind::DropTable:
      return {"DROP TABLE " + quote_identifier(before.tables[step.before_table].name)};
    case StepKind::CreateTable:
      return {render_create_table(after.tables[step.after_table])};
  }
  return {};
}

std::string render_script(const Migration& migration, const std::vector<std::string>& warnings) {
  if (migration.steps.empty()) return "-- This is an empty migration.";
  std::string script;
  if (!warnings.empty()) {
    script += "/*\n  Warnings:\n\n";
    for (const std::string& warning : warnings)
      script += "  - " + warning + "\n";
    script += "\n*/\n";
  }
  bool first = true;
  for (const Step& step : migration.steps) {
    std::vector<std::string> statements = render_step(migration, step);
    if (statements.empty()) continue;
    // A newline before each step but the first, never two at the end: editors
    // strip trailing blank lines, which would change the file's checksum.
    if (!first) script += '\n';
    first = false;
    script += "-- ";
    script += description(step.kind);
    script += '\n';
    for (const std::string& statement : statements)
      script += statement + ";\n";
  }
  return script;
}

}  // namespace soulstone::sql
