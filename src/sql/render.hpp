#pragma once
// PostgreSQL DDL for migration steps, byte for byte as Prisma's schema
// engine renders it (the parity target is Prisma 7.10's engine): statement
// order, `-- Step` comments, quoting, type spelling, defaults, the enum
// add-value and swap sequences, the warnings header.
//
// Usage:
//
//   sql::Migration migration = migrate::diff(std::move(before), std::move(after));
//   std::string script = sql::render_script(migration);     // what `migrate diff --script` prints
//   std::string summary = sql::render_summary(migration);   // what it prints without --script
//
// Pure functions of their arguments.

#include <string>
#include <vector>

#include "model/model.hpp"
#include "sql/steps.hpp"

namespace soulstone::sql {

// The whole script: the warnings header (when `warnings` is not empty), then
// every step as "-- <Description>\n<statement>;\n" separated by blank lines.
// An empty migration renders as "-- This is an empty migration." (no newline); the text otherwise
// ends with the newline of its last statement.
[[nodiscard]] std::string render_script(const Migration& migration,
                                        const std::vector<std::string>& warnings = {});

// The SQL statements of one step, without terminating semicolons.
[[nodiscard]] std::vector<std::string> render_step(const Migration& migration, const Step& step);

// Prisma's human-readable summary of a migration ("[+] Added tables ...");
// "No difference detected." when empty.
[[nodiscard]] std::string render_summary(const Migration& migration);

// Building blocks, exposed for tests and for other renderers.
[[nodiscard]] std::string quote_identifier(std::string_view name);  // "name" (as Prisma: no escaping)
[[nodiscard]] std::string quote_string(std::string_view text);      // 'text' with ' doubled
[[nodiscard]] std::string render_column_type(const model::Column& column);
[[nodiscard]] std::string render_default(const model::Default& value, const std::string& column_type);
[[nodiscard]] std::string render_column(const model::Column& column);
[[nodiscard]] std::string render_create_table(const model::Table& table);
[[nodiscard]] std::string render_create_index(const model::Table& table, const model::Index& index);
[[nodiscard]] std::string render_add_foreign_key(const model::Schema& schema, const model::ForeignKey& key);

}  // namespace soulstone::sql
