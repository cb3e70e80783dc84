// migrate dev's diagnosis, as Prisma's devDiagnostic makes it: the history
// table against the folder, drift between the schema the applied migrations
// build and the live one, and every migration replayed once so a broken file
// is found before anything changes.

#include <algorithm>
#include <span>

#include "migrate/apply.hpp"
#include "migrate/dev_phases.hpp"
#include "migrate/diff.hpp"
#include "migrate/history.hpp"
#include "migrate/status.hpp"
#include "model/introspect.hpp"
#include "sql/render.hpp"

namespace soulstone::migrate {

namespace {

constexpr std::string_view kDriftDetected =
    "Drift detected: Your database schema is not in sync with your migration history.\n\n"
    "The following is a summary of the differences between the expected database schema given your "
    "migrations files, and the actual schema of the database.\n\n"
    "It should be understood as the set of changes to get from the expected schema to the actual schema.\n";

constexpr std::string_view kFirstTime =
    "\nIf you are running this the first time on an existing database, please make sure to read this "
    "documentation page:\n"
    "https://www.prisma.io/docs/guides/database/developing-with-prisma-migrate/troubleshooting-development\n";

std::string current_schema(pg::Connection& connection) {
  pg::Result result = connection.exec("SELECT current_schema()");
  return result.is_null(0, 0) ? std::string("public") : std::string(result.get(0, 0));
}

// Replays into the shadow database; a failure there is Prisma's P3006, and
// nothing has changed in the development database yet.
void replay_into_shadow(ShadowDatabase& shadow, std::span<const LocalMigration> migrations) {
  try {
    replay(shadow.connection(), migrations);
  } catch (const MigrationFailed& failure) {
    // The server's error and where it struck, without deploy's P3018 prefix.
    std::string detail = failure.what();
    if (std::size_t at = detail.find("(P3018): "); at != std::string::npos) detail = detail.substr(at + 9);
    throw Error(ErrorKind::Database,
                "migration " + failure.migration_name() +
                    " failed to apply cleanly to the shadow database (P3006): " + detail,
                "nothing was changed; fix the migration file (or whatever it depends on) and run migrate dev "
                "again");
  }
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The reasons of Prisma's check_for_reset_conditions, in its order and words.
std::string reset_reason(const DevDiagnosis& d, const MigrationsDir& dir) {
  std::vector<std::string> reasons;
  for (const std::string& name : d.failed)
    reasons.push_back("The migration `" + name + "` failed.");
  for (const std::string& name : d.edited)
    reasons.push_back("The migration `" + name + "` was modified after it was applied.");
  if (d.drift)
    reasons.push_back(std::string(kDriftDetected) + (d.has_history_table ? "" : std::string(kFirstTime)) +
                      *d.drift);
  if (!d.missing_locally.empty() && d.pending.empty()) {
    reasons.push_back(
        "The following migration(s) are applied to the database but missing from the local migrations "
        "directory: " +
        joined(d.missing_locally));
  } else if (!d.missing_locally.empty()) {
    std::string details;
    auto first = std::find_if(dir.migrations.begin(), dir.migrations.end(),
                              [&](const LocalMigration& m) { return m.name == d.pending.front(); });
    if (first != dir.migrations.begin() && first != dir.migrations.end())
      details = " Last common migration: `" + std::prev(first)->name +
                "`. Migrations applied to the database but absent from the migrations directory are: " +
                joined(d.missing_locally);
    reasons.push_back("The migrations recorded in the database diverge from the local migrations directory." +
                      details);
  }
  if (reasons.size() == 1) return reasons.front();
  std::string out;
  for (const std::string& reason : reasons)
    out += "- " + reason + "\n";
  return out;
}

}  // namespace

DevDiagnosis diagnose(pg::Connection& database, const MigrationsDir& dir, ShadowDatabase& shadow,
                      model::Schema& history_schema) {
  StatusReport report = compare(dir, History(database).read());
  DevDiagnosis d{.has_history_table = report.has_history_table,
                 .failed = report.failed,
                 .edited = report.edited,
                 .missing_locally = report.missing_locally,
                 .pending = report.pending};

  // The migrations the database has applied, in folder order, as the files
  // read now (an edited file is replayed as it is now, as Prisma does).
  std::vector<LocalMigration> applied, rest;
  for (const LocalMigration& migration : dir.migrations) {
    bool done =
        std::find(report.applied.begin(), report.applied.end(), migration.name) != report.applied.end();
    (done ? applied : rest).push_back(migration);
  }
  replay_into_shadow(shadow, applied);
  const std::string shadow_schema = current_schema(shadow.connection());
  sql::Migration drift = diff(model::introspect(shadow.connection(), shadow_schema),
                              model::introspect(database, current_schema(database)));
  if (!drift.empty()) d.drift = sql::render_summary(drift);

  // Then the others, on top when they all come after the applied ones (the
  // usual case), else from the start in a reset shadow database.
  bool in_order = applied.empty() || rest.empty() || applied.back().name < rest.front().name;
  if (in_order) {
    replay_into_shadow(shadow, rest);
  } else {
    shadow.reset();
    replay_into_shadow(shadow, dir.migrations);
  }
  history_schema = model::introspect(shadow.connection(), shadow_schema);
  d.reset_reason = reset_reason(d, dir);
  return d;
}

}  // namespace soulstone::migrate
