#pragma once
// Whether a database holds anything of its users: the count of ordinary and
// partitioned tables outside PostgreSQL's own schemas. Restore and snapshot
// restore refuse a target that holds tables unless told to replace them.

#include "pg/connection.hpp"

namespace soulstone::pg {

[[nodiscard]] long long count_user_tables(Connection& connection);

}  // namespace soulstone::pg
