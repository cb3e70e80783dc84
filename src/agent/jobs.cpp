#include "agent/jobs.hpp"

#include <cstdio>
#include <filesystem>

#include "backup/backup.hpp"
#include "backup/metrics.hpp"
#include "catalog/catalog.hpp"
#include "drill/drill.hpp"
#include "store/cancellable.hpp"

namespace soulstone::agent {

namespace {

using monitor::Sample;
using std::chrono::steady_clock;

constexpr const char* kLastSuccess = "soulstone_backup_last_success_timestamp_seconds";

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string size_text(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

// backup_metrics() mixes the catalog's "last good backup" with the run's own
// figures; both the backup and the check jobs report the former, so it
// lives in a group of its own and is never exposed twice.
void publish_backup_samples(JobContext& c, const std::string& store_name,
                            const std::optional<backup::RunOutcome>& run) {
  std::vector<Sample> samples;
  bool have_catalog = false;
  try {
    auto store = c.open_store();
    samples = backup::backup_metrics(store_name, catalog::read_catalog(*store), run);
    have_catalog = true;
  } catch (const std::exception&) {
    samples = backup::backup_metrics(store_name, catalog::Catalog{}, run);  // keep the last known success
  }
  std::vector<Sample> last_success;
  std::vector<Sample> rest;
  for (auto& sample : samples)
    (sample.name == kLastSuccess ? last_success : rest).push_back(std::move(sample));
  if (have_catalog) c.metrics.set_samples("catalog", std::move(last_success));
  if (run) c.metrics.set_samples("backup", std::move(rest));
}

Sample gauge(const std::string& name, const std::string& help, double value, const std::string& store,
             const std::string& unit) {
  return {.name = name, .help = help, .value = value, .labels = {{"store", store}}, .unit = unit};
}

void prune_after_backup(JobContext& c, store::ObjectStore& store, std::stop_token stop) {
  const std::string name = store.describe();
  c.metrics.job_started("prune");
  auto began = steady_clock::now();
  std::vector<Sample> samples;
  try {
    catalog::Catalog catalog = catalog::read_catalog(store);
    schedule::TimeZone zone = c.zone;
    retention::Calendar calendar = [zone](std::chrono::sys_seconds t) {
      return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(zone.to_local(t))};
    };
    backup::PruneResult result =
        backup::prune(store, catalog, c.config.retention, calendar, c.clock.now(), false);
    c.state.store_changed();
    std::size_t kept = 0;
    for (const auto& decision : result.plan)
      kept += decision.verdict == retention::Verdict::Keep ? 1 : 0;
    std::size_t deleted = result.plan.size() - kept;
    std::chrono::duration<double> took = steady_clock::now() - began;
    samples = {gauge("soulstone_prune_last_status", "1 when the last prune succeeded, 0 when it failed.", 1,
                     name, "None"),
               gauge("soulstone_prune_deleted_backups", "Backups the last prune deleted.",
                     static_cast<double>(deleted), name, "Count"),
               gauge("soulstone_prune_kept_backups", "Backups the last prune kept.",
                     static_cast<double>(kept), name, "Count"),
               gauge("soulstone_prune_duration_seconds", "Wall time of the last prune.", took.count(), name,
                     "Seconds"),
               gauge("soulstone_prune_last_run_timestamp_seconds", "When the last prune finished.",
                     unix_seconds(c.clock.now()), name, "Seconds")};
    c.metrics.set_samples("prune", samples);
    c.metrics.job_finished("prune", schedule::Outcome::Succeeded, took);
    c.log.info("prune",
               "kept " + std::to_string(kept) + " and deleted " + std::to_string(deleted) + " backups",
               {{"job", "prune"}, {"kept", kept}, {"deleted", deleted}});
  } catch (const std::exception& error) {
    std::chrono::duration<double> took = steady_clock::now() - began;
    auto outcome = stop.stop_requested() ? schedule::Outcome::Aborted : schedule::Outcome::Failed;
    c.metrics.set_samples(
        "prune", {gauge("soulstone_prune_last_status", "1 when the last prune succeeded, 0 when it failed.",
                        0, name, "None"),
                  gauge("soulstone_prune_last_run_timestamp_seconds", "When the last prune finished.",
                        unix_seconds(c.clock.now()), name, "Seconds")});
    c.metrics.job_finished("prune", outcome, took);
    c.log.error("prune", std::string(schedule::to_string(outcome)) + ": " + error.what(),
                {{"job", "prune"}, {"outcome", schedule::to_string(outcome)}});
  }
}

}  // namespace

schedule::RunResult run_backup(JobContext& c, std::stop_token stop) {
  auto store = store::cancellable(c.open_store(), stop);
  const std::string name = store->describe();
  backup::RunOutcome outcome;
  std::string failure;
  auto began = steady_clock::now();
  try {
    outcome.manifest = backup::run(*store, c.database, {.zstd_level = c.config.zstd_level, .key = c.key});
    outcome.succeeded = true;
  } catch (const std::exception& error) {
    failure = error.what();
  }
  outcome.duration = steady_clock::now() - began;
  c.state.store_changed();
  publish_backup_samples(c, name, outcome);
  if (!outcome.succeeded) {
    auto result = stop.stop_requested() ? schedule::Outcome::Aborted : schedule::Outcome::Failed;
    c.state.backup_finished({result, failure, c.clock.now()});
    return {result, failure};
  }
  c.state.backup_finished({schedule::Outcome::Succeeded, "", c.clock.now()});
  const archive::Manifest& m = *outcome.manifest;
  std::string summary = "backup " + m.id + " stored: " + size_text(m.stored_size) + ", " +
                        std::to_string(m.tables.size()) + " tables, " + std::to_string(m.rows_total()) +
                        " rows";
  if (c.config.prune_enabled) {
    // Said before the prune starts, so the log reads in the order things happened.
    c.log.info("backup", summary, {{"job", "backup"}, {"id", m.id}, {"stored_bytes", m.stored_size}});
    prune_after_backup(c, *store, stop);
  }
  return {schedule::Outcome::Succeeded, summary};
}

schedule::RunResult run_check(JobContext& c, std::stop_token stop) {
  auto store = store::cancellable(c.open_store(), stop);
  const std::string name = store->describe();
  auto began = steady_clock::now();
  auto finish = [&](double ok, std::optional<std::chrono::seconds> age) {
    std::vector<Sample> samples{
        gauge("soulstone_check_last_status", "1 when the last check passed, 0 when it failed.", ok, name,
              "None"),
        gauge("soulstone_check_duration_seconds", "Wall time of the last check.",
              std::chrono::duration<double>(steady_clock::now() - began).count(), name, "Seconds"),
        gauge("soulstone_check_last_run_timestamp_seconds", "When the last check finished.",
              unix_seconds(c.clock.now()), name, "Seconds")};
    if (age)
      samples.push_back(gauge("soulstone_check_latest_age_seconds",
                              "Age of the newest good backup at the last check.",
                              static_cast<double>(age->count()), name, "Seconds"));
    c.metrics.set_samples("check", std::move(samples));
  };
  try {
    catalog::Catalog catalog = catalog::read_catalog(*store);
    auto last = backup::backup_metrics(name, catalog, std::nullopt);
    c.metrics.set_samples("catalog", std::move(last));
    backup::CheckReport report = backup::check_store(*store, catalog, c.clock.now(),
                                                     {.max_age = c.config.max_backup_age,
                                                      .min_size_ratio = c.config.min_size_ratio,
                                                      .verify_latest = c.config.check_verify},
                                                     c.key);
    finish(report.ok ? 1 : 0, report.age);
    return {report.ok ? schedule::Outcome::Succeeded : schedule::Outcome::Failed, report.reason};
  } catch (...) {
    finish(0, std::nullopt);
    throw;
  }
}

schedule::RunResult run_drill(JobContext& c, std::stop_token stop) {
  const AgentConfig& config = c.config;
  drill::Options options{.fresh_instance = config.drill_fresh_instance,
                         .schema = config.drill_schema,
                         .migrations = config.migrations,
                         .agent_binary = config.agent_binary};
  // [drill] of the agent's own file: smoke queries and the health URL.
  const bool has_file = config.source != AgentConfig{}.source;
  if (has_file) {
    drill::load_config(config.source, options);
    options.agent_config = config.source;
  }
  options.progress = [&c](const std::string& phase) {
    c.log.info("drill", "phase " + phase, {{"job", "drill"}});
  };
  // A stop cuts a restore in flight short (the store throws at its next
  // piece) and skips the checks still to come; the copy is dropped either way.
  options.stop_requested = [stop] { return stop.stop_requested(); };
  auto store = store::cancellable(c.open_store(), stop);
  const std::string name = store->describe();
  auto began = steady_clock::now();
  drill::Report report = drill::run(*store, c.database, c.key, options);
  std::filesystem::path runbook = config.drill_report;
  drill::append_report(report, runbook, std::filesystem::path(runbook).replace_extension(".jsonl"));
  c.state.store_changed();  // the drill may have run against a store that changed since the last look

  drill::Status verdict = report.verdict();
  c.metrics.set_samples(
      "drill", {{.name = "soulstone_drill_available",
                 .help = "1 when this build can run the restore drill.",
                 .value = 1,
                 .unit = "None"},
                gauge("soulstone_drill_last_status", "1 when the last drill passed every check, 0 otherwise.",
                      verdict == drill::Status::Passed ? 1 : 0, name, "None"),
                gauge("soulstone_drill_failed_checks", "Checks of the last drill that failed.",
                      static_cast<double>(report.failed_checks()), name, "Count"),
                gauge("soulstone_drill_duration_seconds", "Wall time of the last drill.",
                      std::chrono::duration<double>(steady_clock::now() - began).count(), name, "Seconds"),
                gauge("soulstone_drill_last_run_timestamp_seconds", "When the last drill finished.",
                      unix_seconds(c.clock.now()), name, "Seconds")});
  if (stop.stop_requested()) return {schedule::Outcome::Aborted, "stopped during the drill"};
  if (verdict == drill::Status::Passed)
    return {schedule::Outcome::Succeeded, "drill of " + report.snapshot + " passed " +
                                              std::to_string(report.checks.size()) +
                                              " checks; report appended to " + runbook.string()};
  return {schedule::Outcome::Failed, report.shortfall() + "; report appended to " + runbook.string()};
}

}  // namespace soulstone::agent
