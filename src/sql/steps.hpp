#pragma once
// Migration steps: what the differ (migrate/diff.hpp) produces and the
// renderer (sql/render.hpp) prints. A step refers to objects by their
// positions in the `before` and `after` schemas of its Migration.
//
// The order of StepKind is the order of the script (steps are sorted by kind,
// then by their sort key, which mirrors Prisma's step ids), so that our
// scripts list statements exactly where Prisma's do.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace soulstone::sql {

using model::npos;

enum class StepKind {
  CreateSchema,
  DropExtension,
  CreateExtension,
  AlterExtension,
  CreateEnum,
  AlterEnum,
  DropForeignKey,
  DropIndex,
  AlterTable,
  DropTable,
  DropEnum,
  CreateTable,
  CreateIndex,
  RenameForeignKey,
  AddForeignKey,
  RenameIndex,
};

// "CreateTable", ...: the `-- <description>` comment above a step's SQL.
[[nodiscard]] std::string_view description(StepKind kind) noexcept;

// What changed in a column, as Prisma's bit flags (the order of the bits is
// the order in which ALTER COLUMN clauses are rendered).
struct ColumnChanges {
  static constexpr unsigned kArity = 1;
  static constexpr unsigned kDefault = 2;
  static constexpr unsigned kType = 4;
  static constexpr unsigned kAutoincrement = 8;
  unsigned bits = 0;

  [[nodiscard]] bool any() const noexcept { return bits != 0; }
  [[nodiscard]] bool has(unsigned bit) const noexcept { return (bits & bit) != 0; }
};

enum class TypeChange { SafeCast, RiskyCast, NotCastable };

struct TableChange {
  enum class Kind {
    DropPrimaryKey,
    RenamePrimaryKey,
    DropColumn,
    AddColumn,
    AlterColumn,
    DropAndRecreateColumn,
    AddPrimaryKey
  };
  Kind kind = Kind::AddColumn;
  std::size_t before_column = npos;  // DropColumn, AlterColumn, DropAndRecreateColumn
  std::size_t after_column = npos;   // AddColumn, AlterColumn, DropAndRecreateColumn
  ColumnChanges changes;
  std::optional<TypeChange> type_change;
  bool has_virtual_default = false;  // AddColumn: the default is Prisma-level
};

struct AlterEnum {
  std::vector<std::string> added_values;
  std::vector<std::string> dropped_values;
  // (table, column) in `before` of every column of this enum with a default,
  // and the same column in `after` when it keeps a default of the enum
  // (those defaults are dropped and reinstalled around the type swap).
  struct Usage {
    std::size_t before_table = npos, before_column = npos;
    std::size_t after_table = npos, after_column = npos;  // npos: not reinstalled
  };
  std::vector<Usage> defaults;
};

struct Step {
  StepKind kind = StepKind::CreateTable;
  // Objects, by position: before_* in the `before` schema, after_* in `after`.
  // Tables (AlterTable, DropTable, CreateTable, CreateIndex, DropIndex,
  // RenameIndex), enums (CreateEnum, AlterEnum, DropEnum), foreign keys
  // (DropForeignKey, AddForeignKey, RenameForeignKey: in the `object` fields),
  // namespaces and extensions (CreateSchema, CreateExtension...).
  std::size_t before_table = npos, after_table = npos;
  std::size_t before_object = npos, after_object = npos;  // index, foreign key, enum, namespace, extension
  bool from_drop_and_recreate = false;                    // CreateIndex
  std::vector<TableChange> changes;                       // AlterTable
  AlterEnum alter_enum;                                   // AlterEnum
  std::vector<int> extension_changes;                     // AlterExtension: 0 version, 1 schema

  // Prisma's sort key within a kind (its step ids); npos sorts first.
  [[nodiscard]] std::vector<std::int64_t> sort_key() const;
};

struct Migration {
  model::Schema before;
  model::Schema after;
  std::vector<Step> steps;

  [[nodiscard]] bool empty() const noexcept { return steps.empty(); }
};

}  // namespace soulstone::sql
