// The verify phase's schema checks. They call the public APIs of the
// migrate module (`migrate diff` and `migrate status`); until those exist on
// main, the checks say they were not run, never that they passed.

#include "drill/phases.hpp"

namespace soulstone::drill::internal {

namespace fs = std::filesystem;

Check check_schema_alignment(const pg::ConnInfo& /*restored*/, const Options& options) {
  Check check{.phase = "verify", .name = "schema alignment", .status = Status::NotRun};
  if (options.schema.empty() || !fs::exists(options.schema)) {
    check.detail =
        "no schema at " + (options.schema.empty() ? std::string("(none given)") : options.schema.string());
    return check;
  }
  check.detail = "`migrate diff --from-url <copy> --to-schema " + options.schema.string() +
                 "` is not available in this build yet";
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
