#pragma once
// The users' part of a database: schemas other than PostgreSQL's own, and
// whether a database holds any tables there. Restore and snapshot restore
// refuse a target that holds tables unless told to replace them.

#include "pg/connection.hpp"

namespace soulstone::pg {

// SQL condition on pg_namespace aliased `n`: true for the users' schemas.
inline constexpr const char* kUserSchemaCondition =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
    "AND n.nspname NOT LIKE 'pg_temp%'";

// Ordinary and partitioned tables in the users' schemas.
[[nodiscard]] long long count_user_tables(Connection& connection);

}  // namespace soulstone::pg
