// run(): the drill's phases in order, each timed, each failure written down
// as a finding. Why the order: the backup is chosen before anything is
// provisioned (nothing to clean up when there is none); the test hook runs
// after the restore and before the first check reads the copy; the copy is
// dropped last, after every check and the health call.

#include <algorithm>
#include <chrono>
#include <ctime>

#include "archive/manifest.hpp"
#include "base/error.hpp"
#include "catalog/catalog.hpp"
#include "drill/phases.hpp"
#include "pg/connection.hpp"
#include "restore/restore.hpp"

namespace soulstone::drill {

namespace {

using Clock = std::chrono::steady_clock;

// Why the checks after a stop were not run.
constexpr const char* kStopped = "the drill was stopped";

// The checks the verify phase would have run, reported as not run.
void verify_not_run(Report& report, const std::string& why) {
  for (const char* name : {"row counts and fingerprints", "referential integrity", "schema alignment",
                           "migration history", "smoke queries"})
    report.checks.push_back({.phase = "verify", .name = name, .status = Status::NotRun, .detail = why});
}

// Runs one check; a database error while checking fails that check only.
template <typename F>
void guarded(Report& report, const std::string& phase, const std::string& name, F&& check) {
  try {
    check();
  } catch (const Error& error) {
    report.checks.push_back({.phase = phase,
                             .name = name,
                             .status = Status::Failed,
                             .detail = std::string("could not be checked: ") + error.what(),
                             .issues = {name + " could not be checked: " + error.what()}});
  }
}

class PhaseClock {
 public:
  PhaseClock(Report& report, const Options& options) : report_(report), options_(options) {}
  template <typename F>
  void run(const std::string& name, F&& body) {
    if (options_.progress) options_.progress(name);
    const auto started = Clock::now();
    body();
    report_.phases.push_back({name, std::chrono::duration<double>(Clock::now() - started).count()});
  }

 private:
  Report& report_;
  const Options& options_;
};

void verify(Report& report, const pg::ConnInfo& copy, const archive::Manifest& manifest,
            const Options& options) {
  guarded(report, "verify", "database size", [&] {
    pg::Connection db = pg::Connection::open(copy);
    report.restored_bytes =
        std::stoull(std::string(db.exec("SELECT pg_database_size(current_database())").get(0, 0)));
  });
  guarded(report, "verify", "row counts and fingerprints", [&] {
    report.checks.push_back(internal::check_tables(copy, manifest, std::max(2, options.jobs)));
  });
  guarded(report, "verify", "referential integrity",
          [&] { report.checks.push_back(internal::check_foreign_keys(copy)); });
  guarded(report, "verify", "schema alignment",
          [&] { report.checks.push_back(internal::check_schema_alignment(copy, options)); });
  guarded(report, "verify", "migration history",
          [&] { report.checks.push_back(internal::check_migration_status(copy, options)); });
  guarded(report, "verify", "smoke queries", [&] {
    for (Check& check : internal::run_smoke_queries(copy, options))
      report.checks.push_back(std::move(check));
  });
}

}  // namespace

std::string database_name(std::chrono::system_clock::time_point now) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return "soulstone_restore_" + std::to_string(utc.tm_year + 1900) + "q" + std::to_string(utc.tm_mon / 3 + 1);
}

Report run(store::ObjectStore& store, const pg::ConnInfo& server, const std::optional<archive::Key>& key,
           const Options& options) {
  Report report{.started_at = std::chrono::system_clock::now(),
                .store = store.describe(),
                .snapshot = options.snapshot,
                .database = database_name(options.now),
                .fresh_instance = options.fresh_instance};
  PhaseClock clock(report, options);

  // The store must list completely (an exception here means no drill ran).
  catalog::Catalog catalog = catalog::read_catalog(store);
  const catalog::Entry* backup = nullptr;
  try {
    backup = &restore::choose_backup(catalog, options.snapshot, store.describe());
  } catch (const Error& error) {
    report.checks.push_back({.phase = "restore",
                             .name = "backup",
                             .status = Status::Failed,
                             .detail = error.what(),
                             .issues = {error.what()}});
    verify_not_run(report, "no backup to restore");
    return report;
  }
  const archive::Manifest& manifest = *backup->manifest;
  report.snapshot = backup->id;
  report.snapshot_finished_at = archive::format_utc(manifest.finished_at);
  report.stored_bytes = manifest.stored_size;
  report.dump_bytes = manifest.dump_size;
  report.tables = manifest.tables.size();
  report.rows = manifest.rows_total();

  std::unique_ptr<internal::Provisioned> copy;
  clock.run("provision", [&] {
    try {
      copy = options.fresh_instance
                 ? internal::Provisioned::fresh_instance(report.database, options.instance_base)
                 : internal::Provisioned::on_server(server, report.database);
      report.target = copy->target().redacted();
      report.checks.push_back({.phase = "provision",
                               .name = "fresh copy",
                               .status = Status::Passed,
                               .detail = "created " + report.database + " in " + copy->describe()});
    } catch (const Error& error) {
      report.checks.push_back({.phase = "provision",
                               .name = "fresh copy",
                               .status = Status::Failed,
                               .detail = error.what(),
                               .issues = {std::string("provisioning failed: ") + error.what()}});
    }
  });
  if (!copy) {
    verify_not_run(report, "nothing was provisioned");
    return report;
  }

  bool restored = false;
  clock.run("restore", [&] {
    Check check{.phase = "restore", .name = "restore " + backup->id};
    try {
      restore::Result result = restore::restore(store, *backup, copy->target(), key, {.jobs = options.jobs});
      report.dump_bytes = result.dump_size;
      check.status = Status::Passed;
      check.detail =
          "proven against its manifest (stored size and SHA-256, decryption, zstd, every table's rows "
          "and fingerprint in the stream) and restored" +
          std::string(options.jobs > 1 ? " with " + std::to_string(options.jobs) + " jobs" : "");
      restored = true;
    } catch (const Error& error) {
      check.status = Status::Failed;
      check.detail = error.what();
      check.issues.push_back(std::string("the restore failed: ") + error.what());
    }
    report.checks.push_back(std::move(check));
  });

  auto stopping = [&] { return options.stop_requested && options.stop_requested(); };
  auto not_run = [&](const std::string& phase, const std::string& name) {
    report.checks.push_back({.phase = phase, .name = name, .status = Status::NotRun, .detail = kStopped});
  };
  if (stopping()) {
    verify_not_run(report, kStopped);
  } else if (restored) {
    if (options.after_restore) options.after_restore(copy->target());
    clock.run("verify", [&] { verify(report, copy->target(), manifest, options); });
    auto api = [&] {
      guarded(report, "api", "read API", [&] {
        for (Check& check : internal::check_read_api(copy->target(), options, report.api_calls))
          report.checks.push_back(std::move(check));
      });
    };
    // Without an agent to start the phase is only a skipped check, not a timed phase.
    if (stopping()) {
      not_run("api", "read API");
    } else if (options.agent_binary.empty()) {
      api();
    } else {
      clock.run("api", api);
    }
  } else {
    verify_not_run(report, "the restore failed");
  }
  if (stopping()) {
    not_run("health", "health endpoint");
  } else {
    clock.run("health", [&] { report.checks.push_back(internal::check_health(options)); });
  }

  clock.run("clean-up", [&] {
    if (options.keep) {
      copy->keep();
      report.kept = true;
      return;
    }
    guarded(report, "clean-up", "drop the copy", [&] { copy->tear_down(); });
  });
  return report;
}

}  // namespace soulstone::drill
