#pragma once
// The relational model a validated Prisma schema means on PostgreSQL, built
// with Prisma's rules: default native types (String is TEXT, DateTime is
// TIMESTAMP(3), Decimal is DECIMAL(65,30), Json is JSONB...), default
// constraint and index names, default referential actions, implicit
// many-to-many join tables `_<Relation>` with their A/B columns, key and
// index, @default mappings (autoincrement() is a serial column, now() is
// CURRENT_TIMESTAMP, cuid()/uuid()/nanoid() are left to the client), scalar
// lists; views are left out.
//
// Order follows Prisma's ids: enums and tables in declaration order (join
// tables last), per table the field-level @unique indexes then @@index then
// @@unique, foreign keys in the order of the fields that hold them.
//
// Usage:
//
//   model::Schema schema = model::from_schema(psl::load("schema.prisma"));

#include "model/model.hpp"

namespace soulstone::psl {
struct Schema;
}

namespace soulstone::model {

// REQUIRES: `schema` passed psl::validate without errors.
[[nodiscard]] Schema from_schema(const psl::Schema& schema);

}  // namespace soulstone::model
