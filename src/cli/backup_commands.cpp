// soulstone backup ...: the nightly job and its companions.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>

#include "archive/zstd_sink.hpp"
#include "backup/backup.hpp"
#include "backup/lifecycle.hpp"
#include "backup/metrics.hpp"
#include "backup/schedule.hpp"
#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/store_settings.hpp"
#include "monitor/metrics.hpp"
#include "store/cancellable.hpp"

namespace soulstone::cli {

namespace {

struct StoreFlags {
  std::string store;
  std::string endpoint;
  bool prune = false;
  std::string metrics_file;
  std::string emf_file;
  int level = archive::kDefaultZstdLevel;
  std::string id = "latest";
  std::string max_age = "26h";
  double min_size_ratio = 0.5;
  bool dry_run = false;
  bool print_lifecycle = false;
  bool no_verify = false;
  retention::Policy policy;
  std::string time_zone = "UTC";
};

// "26h", "90m", "2d", "3600s" (or a bare number of seconds).
std::chrono::seconds parse_duration(const std::string& text) {
  std::size_t end = 0;
  long long value = -1;
  try {
    value = std::stoll(text, &end);
  } catch (...) {
  }
  std::string unit = text.substr(end);
  long long scale = unit.empty() || unit == "s" ? 1
                    : unit == "m"               ? 60
                    : unit == "h"               ? 3600
                    : unit == "d"               ? 86400
                                                : 0;
  if (value < 0 || scale == 0)
    throw Error(ErrorKind::Usage, "'" + text + "' is not a duration",
                "use a number with s, m, h or d, e.g. 26h");
  return std::chrono::seconds(value * scale);
}

bool wants_metrics(const StoreFlags& flags) { return !flags.metrics_file.empty() || !flags.emf_file.empty(); }

void write_metrics(const StoreFlags& flags, const std::vector<monitor::Sample>& samples) {
  if (!flags.metrics_file.empty())
    monitor::write_textfile(flags.metrics_file, monitor::to_prometheus(samples));
  if (!flags.emf_file.empty()) {
    std::ofstream out(flags.emf_file, std::ios::app);
    out << monitor::to_cloudwatch_emf(samples, "Soulstone/Backups", std::chrono::system_clock::now()) << '\n';
  }
}

nlohmann::json manifest_summary(const catalog::Entry& entry) {
  nlohmann::json row = {
      {"id", entry.id}, {"good", entry.good()}, {"time", archive::format_utc(entry.time())}};
  if (!entry.problem.empty()) row["problem"] = entry.problem;
  if (entry.manifest) {
    row["stored_bytes"] = entry.manifest->stored_size;
    row["rows"] = entry.manifest->rows_total();
    row["tables"] = entry.manifest->tables.size();
    row["encrypted"] = entry.manifest->encryption_key_id.has_value();
    row["seconds"] =
        std::chrono::duration<double>(entry.manifest->finished_at - entry.manifest->started_at).count();
  }
  return row;
}

void add_store_flags(CLI::App* command, StoreFlags& flags) {
  command->add_option("--store", flags.store,
                      "Backup store: file:///folder or s3://bucket/prefix (default: SOULSTONE_BACKUP_URL)");
  command->add_option(
      "--endpoint", flags.endpoint,
      "S3-compatible service URL, e.g. http://127.0.0.1:9000 (default: AWS_ENDPOINT_URL_S3, else AWS)");
}

void add_policy_flags(CLI::App* command, StoreFlags& flags) {
  command->add_option("--daily", flags.policy.daily, "Days to keep the newest backup of")
      ->capture_default_str();
  command->add_option("--monthly", flags.policy.monthly, "Months to keep the newest backup of")
      ->capture_default_str();
  command->add_option("--yearly", flags.policy.yearly, "Years to keep the newest backup of")
      ->capture_default_str();
  command->add_option("--time-zone", flags.time_zone, "Zone whose calendar days count (IANA name)")
      ->capture_default_str();
}

void print_plan(const std::vector<retention::Decision>& plan, bool dry_run) {
  for (const auto& d : plan) {
    const char* verb = d.verdict == retention::Verdict::Keep ? "keep   "
                       : dry_run                             ? "would delete"
                                                             : "delete ";
    std::cout << verb << "  " << d.id << "  " << d.reason << '\n';
  }
}

nlohmann::json plan_json(const backup::PruneResult& result, bool dry_run) {
  nlohmann::json plan = nlohmann::json::array();
  for (const auto& d : result.plan)
    plan.push_back({{"id", d.id}, {"keep", d.verdict == retention::Verdict::Keep}, {"reason", d.reason}});
  return {{"dry_run", dry_run}, {"plan", plan}, {"deleted", result.deleted_keys}};
}

void add_metrics_flags(CLI::App* command, StoreFlags& flags) {
  command->add_option("--metrics-file", flags.metrics_file,
                      "Write Prometheus metrics to this textfile (atomic replace)");
  command->add_option("--emf-file", flags.emf_file,
                      "Append CloudWatch embedded-metric JSON lines to this file");
}

struct ScheduleFlags {
  std::string print;
  std::string at = "02:00";
  backup::ScheduleOptions options;
};

void parse_time_of_day(const std::string& text, backup::ScheduleOptions& options) {
  int hour = -1, minute = -1;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d:%d%c", &hour, &minute, &extra) != 2 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59)
    throw Error(ErrorKind::Usage, "--at expects a time of day as HH:MM, not '" + text + "'",
                "for example --at 02:00");
  options.hour = hour;
  options.minute = minute;
}

// A failed run is reported too; the catalog still names the last good
// backup (when the store can be listed at all: the run's own error is what
// matters, so nothing here may replace it).
void report_failed_run(const StoreFlags& flags, store::ObjectStore& store,
                       const backup::RunOutcome& outcome) {
  if (!wants_metrics(flags)) return;
  catalog::Catalog catalog;
  try {
    catalog = catalog::read_catalog(store);
  } catch (...) {
  }
  try {
    write_metrics(flags, backup::backup_metrics(store.describe(), catalog, outcome));
  } catch (...) {
  }
}

void register_run(CLI::App* group, Context& context, std::shared_ptr<StoreFlags> flags) {
  CLI::App* run = group->add_subcommand(
      "run", "Back up the database into the store: stream, verify, then write the manifest");
  run->footer(
      "SIGINT or SIGTERM stops the run cleanly: pg_dump is terminated, the upload aborted, the lock\n"
      "released, and no manifest is written. A second signal exits at once.\n"
      "Exit codes: 0 stored and verified; 1 the stream failed its checks; 3 bad input (URL, key);\n"
      "4 the database failed; 5 pg_dump failed; 6 the store failed; 7 refused (lock held); 130 stopped.");
  add_store_flags(run, *flags);
  add_metrics_flags(run, *flags);
  run->add_option("--level", flags->level, "zstd level, 1 (fast) to 19 (small)")
      ->check(CLI::Range(1, 19))
      ->capture_default_str();
  run->add_flag(
      "--prune", flags->prune,
      "After a successful backup (never after a failed one), apply retention as `backup prune` does");
  add_policy_flags(run, *flags);
  run->callback([&context, flags] {
    // Ctrl-C or SIGTERM: the upload is aborted (no parts left to pay for),
    // the lock released and no manifest written; the previous backups stand.
    StopOnSignal interrupt;
    auto store = store::cancellable(open_configured_store(flags->store, flags->endpoint), interrupt.token());
    auto started = std::chrono::steady_clock::now();
    backup::RunOutcome outcome;
    backup::PruneResult pruned;
    Progress progress("backup", !context.json);
    try {
      std::optional<backup::PruneAfterRun> prune;
      if (flags->prune)
        prune = backup::PruneAfterRun{.policy = flags->policy,
                                      .calendar = retention::zone_calendar(flags->time_zone)};
      outcome.manifest = backup::run(*store, context.database(),
                                     {.zstd_level = flags->level,
                                      .key = configured_key(),
                                      .progress = [&](std::uint64_t bytes) { progress.update(bytes); },
                                      .prune = prune},
                                     &pruned);
      outcome.succeeded = true;
    } catch (const Error& error) {
      progress.done();
      outcome.duration = std::chrono::steady_clock::now() - started;
      report_failed_run(*flags, *store, outcome);
      // Whichever gave way first (the store's next write, or pg_dump, which
      // the stop terminates), the outcome is the same.
      if (interrupt.received() != 0)
        throw Error(ErrorKind::Interrupted,
                    std::string("backup stopped by ") + interrupt.received_name() +
                        ": no manifest was written, so nothing counts as a new backup",
                    "the upload was abandoned and the lock released; the previous backups are untouched");
      throw;
    } catch (...) {
      progress.done();
      outcome.duration = std::chrono::steady_clock::now() - started;
      report_failed_run(*flags, *store, outcome);
      throw;
    }
    progress.done();
    outcome.duration = std::chrono::steady_clock::now() - started;
    if (wants_metrics(*flags))
      write_metrics(*flags,
                    backup::backup_metrics(store->describe(), catalog::read_catalog(*store), outcome));
    const archive::Manifest& m = *outcome.manifest;
    if (context.json) {
      nlohmann::json document = nlohmann::json::parse(archive::to_json(m));
      if (flags->prune) document["prune"] = plan_json(pruned, false);
      return print_json(document);
    }
    double seconds = outcome.duration.count();
    std::cout << "backup " << m.id << " stored in " << store->describe() << ": " << human_bytes(m.stored_size)
              << " (" << human_bytes(m.dump_size) << " dumped), " << m.tables.size() << " tables, "
              << m.rows_total() << " rows, " << std::fixed << std::setprecision(1) << seconds << " s ("
              << human_bytes(
                     static_cast<std::uint64_t>(static_cast<double>(m.dump_size) / std::max(seconds, 0.001)))
              << "/s)\n";
    if (flags->prune) print_plan(pruned.plan, false);
  });
}

void register_list(CLI::App* group, Context& context, std::shared_ptr<StoreFlags> flags) {
  CLI::App* list =
      group->add_subcommand("list", "List the store's backups, newest first, good or not and why");
  add_store_flags(list, *flags);
  list->callback([&context, flags] {
    auto store = open_configured_store(flags->store, flags->endpoint);
    catalog::Catalog catalog = catalog::read_catalog(*store);
    if (context.json) {
      nlohmann::json rows = nlohmann::json::array();
      for (const auto& entry : catalog.entries)
        rows.push_back(manifest_summary(entry));
      return print_json({{"store", store->describe()}, {"backups", rows}});
    }
    std::cout << std::left << std::setw(28) << "ID" << std::setw(22) << "FINISHED (UTC)" << std::setw(12)
              << "SIZE" << std::setw(12) << "ROWS"
              << "STATE\n";
    for (const auto& entry : catalog.entries) {
      std::cout << std::setw(28) << entry.id << std::setw(22) << archive::format_utc(entry.time())
                << std::setw(12)
                << (entry.manifest ? human_bytes(entry.manifest->stored_size) : std::string("-"))
                << std::setw(12)
                << (entry.manifest ? std::to_string(entry.manifest->rows_total()) : std::string("-"))
                << (entry.good() ? "good" : entry.problem) << '\n';
    }
  });
}

void register_verify(CLI::App* group, Context& context, std::shared_ptr<StoreFlags> flags) {
  CLI::App* verify = group->add_subcommand(
      "verify",
      "Stream a backup back and prove it whole: sizes, SHA-256, decryption, zstd, every data block, tables");
  verify->add_option("id", flags->id, "Backup id, or latest")->capture_default_str();
  add_store_flags(verify, *flags);
  verify->callback([&context, flags] {
    auto store = open_configured_store(flags->store, flags->endpoint);
    catalog::Catalog catalog = catalog::read_catalog(*store);
    const catalog::Entry* entry = catalog.find(flags->id);
    if (entry == nullptr)
      throw Error(ErrorKind::Input, "no backup '" + flags->id + "' in " + store->describe(),
                  "see `soulstone backup list`");
    backup::VerifyReport report = backup::verify(*store, *entry, configured_key());
    if (context.json) {
      print_json({{"id", report.id},
                  {"ok", report.ok()},
                  {"problems", report.problems},
                  {"stored_bytes", report.stored_size},
                  {"dump_bytes", report.dump_size},
                  {"tables", report.tables}});
    } else if (report.ok()) {
      std::cout << "backup " << report.id << " is whole: " << human_bytes(report.stored_size) << " stored, "
                << human_bytes(report.dump_size) << " dump, " << report.tables
                << " tables match the manifest\n";
    }
    if (!report.ok())
      throw Error(ErrorKind::Failure,
                  "backup " + report.id + " failed verification: " + report.problems.front());
  });
}

void register_check(CLI::App* group, Context& context, std::shared_ptr<StoreFlags> flags) {
  CLI::App* check = group->add_subcommand(
      "check",
      "Exit 1 when the newest good backup is older than --max-age or suspiciously small (alert probe)");
  add_store_flags(check, *flags);
  add_metrics_flags(check, *flags);
  check->add_option("--max-age", flags->max_age, "Oldest acceptable age of the newest good backup")
      ->capture_default_str();
  check
      ->add_option("--min-size-ratio", flags->min_size_ratio,
                   "Flag a newest backup smaller than this share of the one before")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  check->add_flag("--no-verify", flags->no_verify,
                  "Judge by the manifests only; skip streaming the newest backup back");
  check->callback([&context, flags] {
    auto store = open_configured_store(flags->store, flags->endpoint);
    catalog::Catalog catalog = catalog::read_catalog(*store);
    write_metrics(*flags, backup::backup_metrics(store->describe(), catalog, std::nullopt));
    backup::CheckReport report = backup::check_store(*store, catalog, std::chrono::system_clock::now(),
                                                     {.max_age = parse_duration(flags->max_age),
                                                      .min_size_ratio = flags->min_size_ratio,
                                                      .verify_latest = !flags->no_verify},
                                                     configured_key());
    if (context.json) {
      nlohmann::json document = {{"ok", report.ok}, {"reason", report.reason}, {"store", store->describe()}};
      if (report.latest_id) document["latest"] = *report.latest_id;
      if (report.age) document["age_seconds"] = report.age->count();
      print_json(document);
    } else if (report.ok) {
      std::cout << "ok: " << report.reason << '\n';
    }
    if (!report.ok)
      throw Error(ErrorKind::Failure, report.reason, "see `soulstone backup list` for the history");
  });
}

void register_prune(CLI::App* group, Context& context, std::shared_ptr<StoreFlags> flags) {
  CLI::App* prune = group->add_subcommand(
      "prune", "Apply retention (30 daily, 12 monthly, 3 yearly) to the store, with a reason per backup");
  add_store_flags(prune, *flags);
  prune->add_flag("--dry-run", flags->dry_run, "Print the plan, delete nothing");
  prune->add_flag("--print-lifecycle", flags->print_lifecycle,
                  "Print the closest S3 lifecycle configuration instead (tiers under monthly/ and yearly/)");
  add_policy_flags(prune, *flags);
  prune->callback([&context, flags] {
    if (flags->print_lifecycle) {
      std::string prefix;
      if (flags->store.rfind("s3://", 0) == 0) {
        std::string rest = flags->store.substr(5);
        auto slash = rest.find('/');
        prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
      }
      std::cout << backup::lifecycle_configuration(flags->policy, prefix);
      return;
    }
    auto store = open_configured_store(flags->store, flags->endpoint);
    catalog::Catalog catalog = catalog::read_catalog(*store);  // throws on a listing error: nothing deleted
    backup::PruneResult result =
        backup::prune(*store, catalog, flags->policy, retention::zone_calendar(flags->time_zone),
                      std::chrono::system_clock::now(), flags->dry_run);
    if (context.json) return print_json(plan_json(result, flags->dry_run));
    print_plan(result.plan, flags->dry_run);
  });
}

}  // namespace

void register_backup_commands(CLI::App& root, Context& context) {
  CLI::App* group =
      root.add_subcommand("backup", "Nightly backups: run, list, verify, check, prune, schedule");
  group->require_subcommand(1);
  auto store_flags = std::make_shared<StoreFlags>();
  register_run(group, context, store_flags);
  register_list(group, context, store_flags);
  register_verify(group, context, store_flags);
  register_check(group, context, store_flags);
  register_prune(group, context, store_flags);

  auto flags = std::make_shared<ScheduleFlags>();
  CLI::App* schedule = group->add_subcommand(
      "schedule",
      "Print the nightly job (backup at 02:00, prune after success, hourly check) for cron or systemd");
  schedule->add_option("--print", flags->print, "Which form to print")
      ->required()
      ->check(CLI::IsMember({"cron", "systemd"}));
  schedule->add_option("--at", flags->at,
                       "Time of day of the backup, HH:MM in the machine's zone (default 02:00)");
  schedule->add_option("--store", flags->options.store, "Backup store URL (default: SOULSTONE_BACKUP_URL)");
  schedule->add_option("--binary", flags->options.binary, "Path of soulstone on the machine")
      ->capture_default_str();
  schedule
      ->add_option("--env-file", flags->options.environment_file,
                   "File with DATABASE_URL, SOULSTONE_BACKUP_URL, AWS_* for the job")
      ->capture_default_str();
  schedule->add_option("--max-age", flags->options.max_age, "Staleness limit of the hourly check")
      ->capture_default_str();
  schedule->add_option("--metrics-file", flags->options.metrics_file, "Prometheus textfile the jobs write")
      ->capture_default_str();
  schedule->callback([&context, flags] {
    parse_time_of_day(flags->at, flags->options);
    std::string text =
        flags->print == "cron" ? backup::cron_file(flags->options) : backup::systemd_units(flags->options);
    if (context.json) return print_json({{"format", flags->print}, {"text", text}});
    std::cout << text;
  });
}

}  // namespace soulstone::cli
