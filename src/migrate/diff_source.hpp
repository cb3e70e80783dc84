#pragma once
// Where `migrate diff` reads each side from: nothing, a schema file or
// folder, a live database, or a migrations folder replayed into a shadow
// database. The logic behind `soulstone migrate diff --from-... --to-...`.
//
// Usage:
//
//   migrate::SourceOptions options{.server = context.database()};
//   model::Schema from = migrate::read_source(migrate::parse_source("url", url), options);

#include <optional>
#include <string>

#include "model/model.hpp"
#include "pg/url.hpp"

namespace soulstone::migrate {

struct DiffSource {
  enum class Kind { Empty, Schema, Url, Migrations };
  Kind kind = Kind::Empty;
  std::string value;  // the file, URL or folder
};

struct SourceOptions {
  // For a migrations folder: the shadow database to replay it into
  // (SHADOW_DATABASE_URL; its schema is reset first), else a temporary
  // database created on `server` and always dropped afterwards.
  std::optional<pg::ConnInfo> shadow;
  std::optional<pg::ConnInfo> server;
};

// A URL for libpq and the PostgreSQL schema it names: Prisma's URLs may carry
// `?schema=name`, which libpq does not know; it is taken out here.
struct DatabaseUrl {
  pg::ConnInfo conninfo;
  std::string schema = "public";
};
[[nodiscard]] DatabaseUrl parse_database_url(std::string_view url);

// Throws Error(Input) for a missing schema file or migrations folder or a
// provider other than postgresql in migration_lock.toml, pg::DatabaseError
// when a database cannot be reached or a migration fails to replay.
[[nodiscard]] model::Schema read_source(const DiffSource& source, const SourceOptions& options);

}  // namespace soulstone::migrate
