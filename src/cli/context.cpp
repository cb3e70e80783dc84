#include "cli/context.hpp"

#include <cstdlib>

#include "base/error.hpp"

namespace soulstone::cli {

pg::ConnInfo Context::database() const {
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0') {
    return pg::ConnInfo::parse(url);
  }
  pg::EmbeddedServer server = embedded();
  (void)server.start();  // no-op when it already runs
  return server.conninfo();
}

}  // namespace soulstone::cli
