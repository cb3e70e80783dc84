#include "client_runtime/filters.hpp"

namespace soulstone::client::detail {

void like(Conditions& out, const char* column, bool insensitive, std::string pattern) {
  out.add(std::string(column) + (insensitive ? " ILIKE " : " LIKE ") + out.sql().bind(std::move(pattern)));
}

}  // namespace soulstone::client::detail
