// migrate dev, phase by phase (dev.hpp gives the order and why).

#include "migrate/dev.hpp"

#include <cstdlib>

#include "migrate/deploy.hpp"
#include "migrate/dev_phases.hpp"
#include "migrate/diff.hpp"
#include "migrate/lock_file.hpp"
#include "migrate/reset.hpp"
#include "model/from_schema.hpp"
#include "pg/environment_mark.hpp"
#include "psl/psl.hpp"
#include "sql/render.hpp"

namespace soulstone::migrate {

namespace {

// The folder as it is, or none yet: dev creates the first migration.
MigrationsDir read_or_empty(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return MigrationsDir{.path = path};
  return read_migrations_dir(path);
}

// The datasource's shadowDatabaseUrl (Prisma 6), a literal or env("NAME").
std::optional<pg::ConnInfo> datasource_shadow(const psl::Schema& schema) {
  const psl::ConfigBlock* datasource = schema.datasource();
  if (datasource == nullptr) return std::nullopt;
  if (auto literal = datasource->string_property("shadowDatabaseUrl")) return pg::ConnInfo::parse(*literal);
  auto variable = datasource->env_property("shadowDatabaseUrl");
  if (!variable) return std::nullopt;
  const char* value = std::getenv(variable->c_str());
  if (value == nullptr || *value == '\0')
    throw Error(
        ErrorKind::Input,
        "the datasource's shadowDatabaseUrl reads the environment variable " + *variable +
            ", which is not set",
        "set " + *variable + " to a scratch database, or remove shadowDatabaseUrl to use a temporary one");
  return pg::ConnInfo::parse(value);
}

std::string current_schema(pg::Connection& connection) {
  pg::Result result = connection.exec("SELECT current_schema()");
  return result.is_null(0, 0) ? std::string("public") : std::string(result.get(0, 0));
}

}  // namespace

DevResult dev(const pg::ConnInfo& database, const DevOptions& options) {
  // Inputs first: a bad schema, folder or lock file changes nothing.
  psl::Schema parsed = psl::load(options.schema);
  model::Schema target = model::from_schema(parsed);
  if (options.database_schema) {
    // The schema's objects live where the URL says, as in Prisma's engine.
    target.namespaces = {*options.database_schema};
    for (model::Table& table : target.tables)
      table.namespace_name = *options.database_schema;
    for (model::Enum& type : target.enums)
      type.namespace_name = *options.database_schema;
  }
  std::optional<pg::ConnInfo> shadow_url = options.shadow ? options.shadow : datasource_shadow(parsed);
  MigrationsDir dir = read_or_empty(options.migrations);
  check_provider(dir);

  pg::Connection connection = pg::Connection::open(database);
  if (options.database_schema) use_schema(connection, *options.database_schema);
  if (pg::read_mark(connection) == pg::Environment::Production)
    throw Error(
        ErrorKind::Refused, "migrate dev refused: " + connection.display_url() + " is marked production",
        "nothing was changed; migrate dev is for development databases: apply migrations to production "
        "with `soulstone migrate deploy`");
  // Held to the end, so no deploy (ours or Prisma's) interleaves with ours.
  MigrationLock lock(connection, options.lock_timeout);

  DevResult result;
  model::Schema history;
  {
    ShadowDatabase shadow(
        {.configured = shadow_url, .server = database, .schema = options.database_schema.value_or("public")},
        database);
    result.diagnosis = diagnose(connection, dir, shadow, history);
  }  // the shadow database is dropped before anything changes

  const DeployOptions deploy_options{.lock_timeout = options.lock_timeout, .on_applied = options.on_applied};
  if (result.diagnosis.needs_reset()) {
    std::vector<TableRows> tables = table_rows(connection);
    if (!options.force) refuse_reset(result.diagnosis, connection, current_schema(connection), tables);
    ResetResult reset = migrate::reset(connection, dir, {.force = true, .deploy = deploy_options});
    result.reset = true;
    result.dropped = std::move(tables);
    result.applied = std::move(reset.deploy.applied);
  } else {
    result.applied = deploy(connection, dir, deploy_options).applied;
  }

  // The database now holds the whole history: what is left is the schema's.
  sql::Migration next = diff(std::move(history), std::move(target));
  if (next.empty() && !options.create_only) return result;
  result.data_loss = check_data_loss(next, connection);
  if (!options.create_only && !result.data_loss.unexecutable.empty())
    refuse_unexecutable(result.data_loss, connection);
  if (!options.create_only && !options.force && !result.data_loss.warnings.empty())
    refuse_data_loss(result.data_loss, connection);

  // The file carries the findings for any database it will meet (Prisma's
  // pure check), not those of this one.
  result.script = sql::render_script(next, header_lines(check_data_loss(next)));
  std::string folder = next_folder_name(dir, options.now(), sanitize_migration_name(options.name));
  WrittenMigration written = write_migration(dir.path, folder, result.script);
  result.created = folder;
  result.file = written.file;
  result.lock_file_written = written.lock_file_written;
  if (options.create_only) return result;

  DeployResult applied = deploy(connection, read_migrations_dir(dir.path), deploy_options);
  result.applied_created = !applied.applied.empty();
  return result;
}

}  // namespace soulstone::migrate
