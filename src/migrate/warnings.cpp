// The data-loss warnings of a new migration, as Prisma's destructive change
// checker words them when it does not look at the data.

#include <string>

#include "migrate/diff.hpp"
#include "sql/render.hpp"

namespace soulstone::migrate {

namespace {

std::string type_label(const model::Column& column) {
  const model::ColumnType& type = column.type;
  if (type.family == model::Family::Enum) return type.name;
  if (!type.native) return type.name;
  std::string out(model::native_type_name(*type.native));
  if (!type.args.empty()) {
    out += '(';
    for (std::size_t i = 0; i < type.args.size(); ++i)
      out += (i > 0 ? ", " : "") + std::to_string(type.args[i]);
    out += ')';
  }
  return out;
}

}  // namespace

std::vector<std::string> warnings(const sql::Migration& migration) {
  std::vector<std::string> out;
  const model::Schema& b = migration.before;
  const model::Schema& a = migration.after;
  for (const sql::Step& step : migration.steps) {
    switch (step.kind) {
      case sql::StepKind::DropTable:
        out.push_back("You are about to drop the `" + b.tables[step.before_table].name +
                      "` table. If the table is not empty, all the data it contains will be lost.");
        break;
      case sql::StepKind::AlterEnum:
        if (!step.alter_enum.dropped_values.empty()) {
          std::string values;
          for (const std::string& value : step.alter_enum.dropped_values)
            values += (values.empty() ? "" : ",") + value;
          out.push_back(
              "The values [" + values + "] on the enum `" + b.enums[step.before_object].name +
              "` will be removed. If these variants are still used in the database, this will fail.");
        }
        break;
      case sql::StepKind::CreateIndex: {
        if (step.before_table == model::npos) break;
        const model::Table& table = a.tables[step.after_table];
        const model::Index& index = table.indexes[step.after_object];
        if (!index.is_unique()) break;
        std::string columns;
        for (const model::IndexColumn& column : index.columns)
          columns += (columns.empty() ? "" : ",") + table.columns[column.column].name;
        out.push_back("A unique constraint covering the columns `[" + columns + "]` on the table `" +
                      table.name +
                      "` will be added. If there are existing duplicate values, this will fail.");
        break;
      }
      case sql::StepKind::AlterTable: {
        const model::Table& previous = b.tables[step.before_table];
        const model::Table& next = a.tables[step.after_table];
        for (const sql::TableChange& change : step.changes) {
          using Kind = sql::TableChange::Kind;
          if (change.kind == Kind::DropColumn) {
            out.push_back("You are about to drop the column `" + previous.columns[change.before_column].name +
                          "` on the `" + previous.name + "` table. All the data in the column will be lost.");
          } else if (change.kind == Kind::AddColumn) {
            const model::Column& column = next.columns[change.after_column];
            if (column.type.arity == model::Arity::Required && !column.default_value &&
                !column.auto_increment && !change.has_virtual_default)
              out.push_back(
                  "Added the required column `" + column.name + "` to the `" + next.name +
                  "` table without a default value. This is not possible if the table is not empty.");
          } else if (change.kind == Kind::DropPrimaryKey) {
            out.push_back(
                "The primary key for the `" + previous.name +
                "` table will be changed. If it partially fails, the table could be left without primary "
                "key constraint.");
          } else if (change.kind == Kind::DropAndRecreateColumn) {
            const model::Column& column = next.columns[change.after_column];
            if (column.type.arity == model::Arity::Required)
              out.push_back(
                  "Changed the type of `" + column.name + "` on the `" + next.name +
                  "` table. No cast exists, the column would be dropped and recreated, which cannot be done "
                  "if there is data, since the column is required.");
            else
              out.push_back("The `" + column.name + "` column on the `" + next.name +
                            "` table would be dropped and recreated. This will lead to data loss.");
          } else if (change.kind == Kind::AlterColumn) {
            const model::Column& from = previous.columns[change.before_column];
            const model::Column& to = next.columns[change.after_column];
            if (change.type_change == sql::TypeChange::RiskyCast)
              out.push_back("You are about to alter the column `" + from.name + "` on the `" + previous.name +
                            "` table, which contains data. The data in that column will be cast from `" +
                            type_label(from) + "` to `" + type_label(to) + "`.");
            if (from.type.arity == model::Arity::Nullable && to.type.arity == model::Arity::Required &&
                !to.default_value)
              out.push_back("Made the column `" + to.name + "` on table `" + next.name +
                            "` required, but there are existing NULL values.");
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

}  // namespace soulstone::migrate
