#pragma once
// What `snapshot create --anonymize` replaces, read from the schema's
// `/// @pii(kind)` markers, and the fail-closed audit: columns whose name
// or type looks personal but that carry no marker stop the snapshot.
//
// Pure functions of the schema, its relational model and the database's
// column list; no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "snapshot/faker.hpp"

namespace soulstone::psl {
struct Schema;
}

namespace soulstone::snapshot {

struct PiiColumn {
  std::string table;  // database names
  std::string column;
  std::string field;  // "User.email"
  FakeSpec spec;
};

struct PiiPlan {
  std::vector<PiiColumn> columns;
  // The marked columns of one table (by database name, any namespace).
  [[nodiscard]] std::vector<const PiiColumn*> of_table(std::string_view table) const;
};

// Throws Error(Input) listing every marker that cannot be applied (unknown
// kind, a relation or list field, a type no fake fits), with file:line:col.
[[nodiscard]] PiiPlan plan_pii(const psl::Schema& schema, const model::Schema& model);

// Why a column looks personal ("its name says token", "its type is inet"),
// or empty. `type` is the native type as PostgreSQL names it (may be empty).
[[nodiscard]] std::string personal_reason(std::string_view name, std::string_view type);

struct DatabaseColumn {
  std::string schema;  // namespace
  std::string table;
  std::string column;
  std::string type;  // format_type(), e.g. "character varying(320)", "inet"
};

struct UnmarkedColumn {
  std::string name;      // "Cart.sessionToken", or "public.users.ssn" for a column the schema lacks
  std::string location;  // "apps/api/prisma/schema.prisma:190:3", or "database only"
  std::string reason;
};

// Every personal-looking column without a marker: the schema's scalar
// fields, then the database's columns the schema does not know (tables of
// the schema and others; _prisma_migrations and implicit join tables are
// not personal).
[[nodiscard]] std::vector<UnmarkedColumn> unmarked_columns(const psl::Schema& schema,
                                                           const model::Schema& model,
                                                           const std::vector<DatabaseColumn>& database);

}  // namespace soulstone::snapshot
