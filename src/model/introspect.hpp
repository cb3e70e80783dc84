#pragma once
// The relational model of a live database, read from pg_catalog: one query
// per kind of object (tables, columns, indexes, foreign keys, enums,
// extensions), never one per table, so a 300-table database costs the same
// six round trips as a 3-table one.
//
// It reads what Prisma's describer reads and interprets it the same way
// (native types and their arguments as information_schema reports them,
// defaults parsed into values, sequences and expressions), so that diffing a
// database against a schema gives Prisma's answer. Partial indexes,
// expression indexes and exclusion constraints are left out, as Prisma does;
// the `_prisma_migrations` table is left out too.

#include <string>

#include "model/model.hpp"

namespace soulstone::pg {
class Connection;
}

namespace soulstone::model {

// Reads the objects of one PostgreSQL schema (namespace). Throws
// pg::DatabaseError when a query fails.
[[nodiscard]] Schema introspect(pg::Connection& connection, const std::string& namespace_name = "public");

// A column default as PostgreSQL prints it (pg_get_expr), interpreted as
// Prisma does for a column of that type: nullopt for NULL, a Sequence for
// nextval(...), Now for now()/CURRENT_TIMESTAMP on date-time columns, a Value
// for literals, else DbGenerated with the text.
[[nodiscard]] std::optional<Default> parse_default(std::string_view expression, const ColumnType& type);

}  // namespace soulstone::model
