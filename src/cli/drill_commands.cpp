// soulstone drill: the quarterly restore drill, its report appended to the runbook.

#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "cli/store_settings.hpp"
#include "drill/drill.hpp"
#include "store/cancellable.hpp"

namespace soulstone::cli {

namespace {

struct DrillFlags {
  std::string snapshot = "latest";
  std::string store;
  bool fresh_instance = false;
  bool keep = false;
  int jobs = 1;
  std::string report = "docs/runbook.md";
  std::string report_json;  // default: the report with .jsonl
  std::string schema = "apps/api/prisma/schema.prisma";
  std::string migrations;  // default: migrations/ beside the schema
  std::string health_url;
  std::string config = "soulstone.toml";
};

void print_text(const drill::Report& report, const std::string& runbook) {
  std::cout << "drill of " << report.snapshot << " into " << report.database << ":\n";
  for (const drill::Check& check : report.checks)
    std::cout << "  " << std::left << std::setw(8) << drill::to_string(check.status) << " " << check.phase
              << ": " << check.name << (check.detail.empty() ? "" : " (" + check.detail + ")") << '\n';
  std::cout << std::fixed << std::setprecision(1) << "verdict: " << drill::verdict_name(report.verdict())
            << " in " << report.total_seconds() << " s; report appended to " << runbook << '\n';
}

}  // namespace

void register_drill_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<DrillFlags>();
  CLI::App* command = root.add_subcommand(
      "drill",
      "Restore drill: restore a backup into a fresh database, check it against its manifest and the schema, "
      "and append the findings to the runbook (exit 0 only when every check passed)");
  command->footer(
      "SIGINT or SIGTERM stops the drill: a restore in flight is cut short, the checks still to come are\n"
      "marked not run, the copy (and a fresh instance) is removed and the report is appended; a second\n"
      "signal exits at once.\n"
      "Exit codes: 0 every check passed; 1 a check failed or was not run; 2 usage; 3 bad soulstone.toml;\n"
      "6 the store cannot be listed; 130 stopped by a signal.");
  command->add_option("--snapshot", flags->snapshot, "Backup id, or latest")->capture_default_str();
  command->add_option("--store", flags->store,
                      "Backup store: file:///folder or s3://bucket/prefix (default: SOULSTONE_BACKUP_URL)");
  command->add_flag(
      "--fresh-instance", flags->fresh_instance,
      "Restore into a new embedded PostgreSQL in a temporary folder instead of a new database on "
      "the server (DATABASE_URL, else the embedded server)");
  command->add_flag("--keep", flags->keep, "Leave the restored copy (and instance) in place for inspection");
  command->add_option("--jobs", flags->jobs, "Parallel restore jobs (see `soulstone restore --jobs`)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->add_option("--report", flags->report, "Runbook to append the Markdown findings to")
      ->capture_default_str();
  command->add_option("--report-json", flags->report_json,
                      "File to append the JSON line to (default: the runbook's name with .jsonl)");
  command->add_option("--schema", flags->schema, "schema.prisma for the schema-alignment check")
      ->capture_default_str();
  command->add_option("--migrations", flags->migrations,
                      "Migrations folder for the history check (default: migrations/ beside the schema)");
  command->add_option("--health-url", flags->health_url,
                      "HTTP endpoint that must answer 2xx (default: [drill] health_url in soulstone.toml)");
  command->add_option("--config", flags->config, "soulstone.toml with [drill] smoke queries")
      ->capture_default_str();
  command->callback([&context, flags] {
    drill::Options options{
        .snapshot = flags->snapshot,
        .fresh_instance = flags->fresh_instance,
        .keep = flags->keep,
        .jobs = flags->jobs,
        .schema = flags->schema,
        .migrations = flags->migrations.empty()
                          ? std::filesystem::path(flags->schema).parent_path() / "migrations"
                          : std::filesystem::path(flags->migrations),
        .health_url = flags->health_url};
    drill::load_config(flags->config, options);
    // The api phase starts this very binary as a serve-only agent on the copy.
    std::error_code no_exe;
    options.agent_binary = std::filesystem::read_symlink("/proc/self/exe", no_exe);
    if (std::filesystem::exists(flags->config)) options.agent_config = flags->config;
    if (!context.json)
      options.progress = [](const std::string& phase) { std::cerr << "drill: " << phase << "\n"; };
    // Ctrl-C or SIGTERM: the restore in flight is cut short (the store throws
    // at its next piece, pg_restore is terminated), the checks still to come
    // are skipped and the copy is dropped; the report says so.
    StopOnSignal interrupt;
    options.stop_requested = [&interrupt] { return interrupt.received() != 0; };
    auto store = store::cancellable(open_configured_store(flags->store), interrupt.token());
    // With a fresh instance the drill needs no server of ours.
    pg::ConnInfo server = flags->fresh_instance ? pg::ConnInfo() : context.database();
    drill::Report report = drill::run(*store, server, configured_key(), options);
    std::filesystem::path json_log = flags->report_json.empty()
                                         ? std::filesystem::path(flags->report).replace_extension(".jsonl")
                                         : std::filesystem::path(flags->report_json);
    drill::append_report(report, flags->report, json_log);
    if (context.json) {
      print_json(nlohmann::json::parse(drill::to_json(report)));
    } else {
      print_text(report, flags->report);
    }
    if (interrupt.received() != 0)
      throw Error(ErrorKind::Interrupted,
                  std::string("drill stopped by ") + interrupt.received_name() +
                      ": the checks still to come were not run" +
                      (report.kept ? "" : "; the copy was dropped"),
                  "the findings so far are in " + flags->report);
    if (report.verdict() == drill::Status::Passed) return;
    throw Error(ErrorKind::Failure, report.shortfall(), "the findings are in " + flags->report);
  });
}

}  // namespace soulstone::cli
