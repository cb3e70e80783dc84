// The verify phase's schema checks, through the public APIs of the migrate
// module: `migrate diff` for the alignment, `migrate status` for the
// history. Without a schema or a migrations folder the check says it was
// not run, never that it passed.

#include "drill/phases.hpp"
#include "migrate/diff.hpp"
#include "migrate/diff_source.hpp"
#include "migrate/migrations_dir.hpp"
#include "migrate/status.hpp"
#include "pg/connection.hpp"
#include "sql/render.hpp"

namespace soulstone::drill::internal {

namespace fs = std::filesystem;

Check check_schema_alignment(const pg::ConnInfo& restored, const Options& options) {
  Check check{.phase = "verify", .name = "schema alignment", .status = Status::NotRun};
  if (options.schema.empty() || !fs::exists(options.schema)) {
    check.detail =
        "no schema at " + (options.schema.empty() ? std::string("(none given)") : options.schema.string());
    return check;
  }
  // migrate diff --from-url <copy> --to-schema <schema>: what it would take
  // to make the copy match the schema; nothing, when they agree.
  using Source = migrate::DiffSource;
  model::Schema copy = migrate::read_source({.kind = Source::Kind::Url, .value = restored.url()}, {});
  model::Schema wanted =
      migrate::read_source({.kind = Source::Kind::Schema, .value = options.schema.string()}, {});
  sql::Migration migration = migrate::diff(std::move(copy), std::move(wanted));
  if (migration.empty()) {
    check.status = Status::Passed;
    check.detail = "`migrate diff --from-url <copy> --to-schema " + options.schema.string() + "` is empty";
    return check;
  }
  check.status = Status::Failed;
  for (const sql::Step& step : migration.steps)
    for (const std::string& statement : sql::render_step(migration, step))
      check.issues.push_back("the copy differs from " + options.schema.string() +
                             "; aligning it takes: " + statement);
  check.detail = std::to_string(check.issues.size()) + " statement(s) would align the copy with " +
                 options.schema.string();
  return check;
}

Check check_migration_status(const pg::ConnInfo& restored, const Options& options) {
  Check check{.phase = "verify", .name = "migration history", .status = Status::NotRun};
  if (options.migrations.empty() || !fs::exists(options.migrations)) {
    check.detail = "no migrations folder at " +
                   (options.migrations.empty() ? std::string("(none given)") : options.migrations.string());
    return check;
  }
  // migrate status of the copy: the history it carries against the folder.
  migrate::MigrationsDir folder = migrate::read_migrations_dir(options.migrations);
  pg::Connection db = pg::Connection::open(restored);
  migrate::StatusReport status = migrate::status(db, folder);
  const std::string where = options.migrations.string();
  if (status.not_managed()) check.issues.push_back("the copy has tables but no _prisma_migrations table");
  for (const auto& name : status.pending)
    check.issues.push_back("migration " + name + " of " + where + " is missing from the copy's history");
  for (const auto& name : status.failed)
    check.issues.push_back("migration " + name + " failed and was never resolved");
  for (const auto& name : status.edited)
    check.issues.push_back("migration " + name + " was edited in " + where + " after it was applied");
  for (const auto& name : status.missing_locally)
    check.issues.push_back("migration " + name + " is in the copy's history but not in " + where);
  check.status = check.issues.empty() ? Status::Passed : Status::Failed;
  check.detail = check.issues.empty()
                     ? "all " + std::to_string(status.local_migrations) + " migrations of " + where +
                           " are applied; none failed, edited or unknown"
                     : std::to_string(check.issues.size()) + " problem(s) in the copy's migration history";
  return check;
}

}  // namespace soulstone::drill::internal
