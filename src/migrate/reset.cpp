#include "migrate/reset.hpp"

#include "migrate/advisory_lock.hpp"
#include "migrate/lock_file.hpp"
#include "pg/environment_mark.hpp"

namespace soulstone::migrate {

namespace {

struct SchemaShape {
  std::string name;
  std::string owner;
  std::optional<std::string> comment;
  std::vector<std::string> grants;  // GRANT statements that rebuild its privileges
};

SchemaShape read_schema(pg::Connection& connection) {
  pg::Result schema = connection.exec(
      "SELECT n.nspname, pg_get_userbyid(n.nspowner), obj_description(n.oid, 'pg_namespace') "
      "FROM pg_namespace n WHERE n.nspname = current_schema()");
  if (schema.rows() == 0) {
    throw Error(ErrorKind::Input,
                "nothing to reset: no schema of the search path exists in " + connection.display_url(),
                "create the schema (CREATE SCHEMA public), or run `soulstone migrate deploy`");
  }
  SchemaShape shape{.name = std::string(schema.get(0, 0)),
                    .owner = std::string(schema.get(0, 1)),
                    .comment = schema.get_optional(0, 2)};
  pg::Result acl = connection.exec(
      "SELECT CASE WHEN a.grantee = 0 THEN '' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type, "
      "a.is_grantable "
      "FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = $1 ORDER BY 1, 2",
      pg::Params{shape.name});
  for (int row = 0; row < acl.rows(); ++row) {
    std::string grantee(acl.get(row, 0));
    shape.grants.push_back("GRANT " + std::string(acl.get(row, 1)) + " ON SCHEMA " +
                           connection.quote_identifier(shape.name) + " TO " +
                           (grantee.empty() ? std::string("PUBLIC") : connection.quote_identifier(grantee)) +
                           (acl.get(row, 2) == "t" ? " WITH GRANT OPTION" : ""));
  }
  return shape;
}

std::string listing(const std::vector<std::string>& tables) {
  if (tables.empty()) return "no tables";
  std::string names;
  for (std::size_t i = 0; i < tables.size() && i < 5; ++i)
    names += (i == 0 ? "" : ", ") + tables[i];
  if (tables.size() > 5) names += ", ...";
  return std::to_string(tables.size()) + " table" + (tables.size() == 1 ? "" : "s") + " (" + names + ")";
}

}  // namespace

ResetResult reset(pg::Connection& connection, const MigrationsDir& dir, const ResetOptions& options) {
  check_provider(dir);
  pg::refuse_production(connection, "migrate reset", options.production_override);
  MigrationLock lock(connection, options.deploy.lock_timeout);
  SchemaShape shape = read_schema(connection);
  ResetResult result{.schema = shape.name, .dropped_tables = user_tables(connection)};
  if (!options.force) {
    throw Error(ErrorKind::Refused,
                "migrate reset refused without --force: it would drop schema \"" + shape.name + "\" of " +
                    connection.display_url() + " with its " + listing(result.dropped_tables) +
                    " and all their data, then apply " + std::to_string(dir.migrations.size()) +
                    " migration" + (dir.migrations.size() == 1 ? "" : "s") + " from " + dir.path.string(),
                "nothing was changed; run it again with --force if that is what you want");
  }

  // One transaction: if the owner or a privilege cannot be restored,
  // nothing is dropped.
  std::string quoted = connection.quote_identifier(shape.name);
  std::string script = "DROP SCHEMA " + quoted + " CASCADE;\nCREATE SCHEMA " + quoted + " AUTHORIZATION " +
                       connection.quote_identifier(shape.owner) + ";\n";
  for (const std::string& grant : shape.grants)
    script += grant + ";\n";
  connection.exec("BEGIN");
  try {
    connection.exec(script);
    if (shape.comment) {
      // COMMENT takes no parameters: the server quotes the text as a literal.
      pg::Result literal = connection.exec("SELECT quote_literal($1)", pg::Params{*shape.comment});
      connection.exec("COMMENT ON SCHEMA " + quoted + " IS " + std::string(literal.get(0, 0)));
    }
    connection.exec("COMMIT");
  } catch (...) {
    try {
      connection.exec("ROLLBACK");
    } catch (...) {
      // The connection is gone, and with it the transaction.
    }
    throw;
  }
  result.deploy = deploy(connection, dir, options.deploy);
  return result;
}

}  // namespace soulstone::migrate
