// The verify phase's schema checks, through the public APIs of the migrate
// module: `migrate diff` for the alignment, `migrate status` for the
// history. A check whose command is not in this build says it was not run,
// never that it passed.

#include "drill/phases.hpp"
#include "migrate/diff.hpp"
#include "migrate/diff_source.hpp"
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

Check check_migration_status(const pg::ConnInfo& /*restored*/, const Options& options) {
  Check check{.phase = "verify", .name = "migration history", .status = Status::NotRun};
  if (options.migrations.empty() || !fs::exists(options.migrations)) {
    check.detail = "no migrations folder at " +
                   (options.migrations.empty() ? std::string("(none given)") : options.migrations.string());
    return check;
  }
  check.detail = "`migrate status` is not available in this build yet";
  return check;
}

}  // namespace soulstone::drill::internal
