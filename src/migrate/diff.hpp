#pragma once
// The difference between two relational models as ordered migration steps,
// decided as Prisma's schema engine decides it: tables, columns and enums
// match by name (a changed @map/@@map is a drop and a create), indexes and
// foreign keys match by definition (a changed name is a rename), column
// changes are classified (arity, default, type with its cast risk,
// autoincrement), and the steps are sorted into Prisma's order.
//
// Usage:
//
//   model::Schema before = model::introspect(connection);
//   model::Schema after = model::from_schema(psl::load("schema.prisma"));
//   sql::Migration migration = migrate::diff(std::move(before), std::move(after));
//   if (!migration.empty()) std::cout << sql::render_script(migration) << "\n";
//
// A pure function; the `_prisma_migrations` table is ignored on both sides.

#include <string>
#include <vector>

#include "model/model.hpp"
#include "sql/steps.hpp"

namespace soulstone::migrate {

[[nodiscard]] sql::Migration diff(model::Schema before, model::Schema after);

// The data-loss warnings Prisma writes at the top of a new migration (the
// "Warnings:" header of `migrate dev`): dropped tables and columns, required
// columns added without a default, risky type casts, unique constraints
// added, enum values removed. They depend only on the migration, not on the
// data.
[[nodiscard]] std::vector<std::string> warnings(const sql::Migration& migration);

}  // namespace soulstone::migrate
