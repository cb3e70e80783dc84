#include "pg/user_tables.hpp"

#include <cstdlib>
#include <string>

namespace soulstone::pg {

long long count_user_tables(Connection& connection) {
  Result result = connection.exec(
      std::string("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p') AND ") +
      kUserSchemaCondition);
  return std::atoll(std::string(result.get(0, 0)).c_str());
}

}  // namespace soulstone::pg
