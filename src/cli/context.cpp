#include "cli/context.hpp"

#include <cstdlib>
#include <string>

#include "base/error.hpp"
#include "migrate/diff_source.hpp"

namespace soulstone::cli {

pg::ConnInfo Context::database() const {
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0') {
    // Prisma's `?schema=name` is not libpq's: it is taken out, and a schema
    // other than public goes on the search path, so every command sees the
    // tables the migrations made there.
    migrate::DatabaseUrl parsed = migrate::parse_database_url(url);
    if (parsed.schema == "public" || parsed.conninfo.get("options")) return parsed.conninfo;
    pg::ConnInfo with_path = parsed.conninfo;
    with_path.set("options", "-csearch_path=" + parsed.schema);
    return with_path;
  }
  pg::EmbeddedServer server = embedded();
  (void)server.start();  // no-op when it already runs
  return server.conninfo();
}

}  // namespace soulstone::cli
