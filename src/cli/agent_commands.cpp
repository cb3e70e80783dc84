// soulstone agent: the scheduler and the HTTP endpoints in one process.

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "agent/agent.hpp"
#include "agent/config.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "schedule/next_fire.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::cli {

namespace {

struct AgentFlags {
  std::string config;
  std::string listen;
  std::string store;
  bool check_config = false;
  bool serve_only = false;
};

agent::AgentConfig resolve_config(const AgentFlags& flags) {
  agent::AgentConfig config =
      agent::load_config(flags.config.empty() ? "soulstone.toml" : flags.config, !flags.config.empty());
  if (!flags.listen.empty()) {
    (void)agent::parse_listen(flags.listen);
    config.listen = flags.listen;
  }
  // Flags, then the environment, then the file (DESIGN.md, "Configuration").
  if (!flags.store.empty()) {
    config.store = flags.store;
  } else if (const char* env = std::getenv("SOULSTONE_BACKUP_URL"); env != nullptr && *env != '\0') {
    config.store = env;
  }
  config.serve_only = flags.serve_only;
  // The drill job starts this very binary as the agent on the restored copy.
  std::error_code no_exe;
  config.agent_binary = std::filesystem::read_symlink("/proc/self/exe", no_exe).string();
  agent::resolve_api_token(config);
  if (config.store.empty() && !config.serve_only)
    throw Error(ErrorKind::Input, "no backup store configured for the agent",
                "set [agent] store in " +
                    (flags.config.empty() ? std::string("soulstone.toml") : flags.config) +
                    ", SOULSTONE_BACKUP_URL, or pass --store");
  return config;
}

// DATABASE_URL, else [agent] database_url, else the embedded server.
std::optional<pg::ConnInfo> configured_database(const agent::AgentConfig& config) {
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0')
    return pg::ConnInfo::parse(url);
  if (config.database_url) return pg::ConnInfo::parse(*config.database_url);
  return std::nullopt;
}

nlohmann::json job_summary(const std::string& name, const agent::JobConfig& job,
                           const schedule::TimeZone& zone, bool available) {
  nlohmann::json row = {{"job", name},
                        {"enabled", job.enabled},
                        {"schedule", job.schedule},
                        {"missed", schedule::to_string(job.missed)},
                        {"available", available}};
  nlohmann::json next = nlohmann::json::array();
  if (job.enabled) {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (auto fire : schedule::next_fires(schedule::CronExpression::parse(job.schedule), zone, now, 3))
      next.push_back({{"utc", schedule::format_utc_seconds(fire)},
                      {"local", schedule::format_local_minutes(zone.to_local(fire))}});
  }
  row["next"] = next;
  return row;
}

void print_check(const agent::AgentConfig& config, const std::optional<pg::ConnInfo>& database, bool json) {
  schedule::TimeZone zone = schedule::TimeZone::load(config.time_zone);
  nlohmann::json jobs = nlohmann::json::array({job_summary("backup", config.backup, zone, true),
                                               job_summary("check", config.check, zone, true),
                                               job_summary("drill", config.drill, zone, true)});
  nlohmann::json api = {{"enabled", config.api.enabled},
                        {"token", config.api_token.empty() ? "none: the read API is off" : "configured"},
                        {"page_size", config.api.page_size}};
  nlohmann::json prune = {{"enabled", config.prune_enabled},
                          {"after", "each successful backup"},
                          {"daily", config.retention.daily},
                          {"monthly", config.retention.monthly},
                          {"yearly", config.retention.yearly}};
  std::string database_text = database ? database->redacted() : "the embedded PostgreSQL (started on demand)";
  if (json) {
    print_json({{"config", config.source},
                {"listen", config.listen},
                {"store", config.store},
                {"database", database_text},
                {"time_zone", config.time_zone},
                {"state_file", config.state_file},
                {"max_backup_age_seconds", config.max_backup_age.count()},
                {"serve_only", config.serve_only},
                {"jobs", jobs},
                {"prune", prune},
                {"api", api}});
    return;
  }
  std::cout << "configuration  " << config.source << "\nlisten         " << config.listen
            << "\nstore          " << config.store << "\ndatabase       " << database_text
            << "\ntime zone      " << config.time_zone << "\nstate file     " << config.state_file
            << "\nread API       "
            << (!config.api.enabled        ? "disabled"
                : config.api_token.empty() ? "off (no token: SOULSTONE_API_TOKEN or [agent.api] token_file)"
                                           : "on (bearer token configured)")
            << (config.serve_only ? "\nserve only     yes: no job runs" : "") << "\n\n";
  for (const auto& row : jobs) {
    std::cout << std::left << std::setw(8) << row["job"].get<std::string>() << std::setw(18)
              << row["schedule"].get<std::string>() << std::setw(10) << row["missed"].get<std::string>();
    if (!row["enabled"].get<bool>()) std::cout << "disabled";
    for (const auto& fire : row["next"])
      std::cout << fire["local"].get<std::string>() << "  ";
    if (!row["available"].get<bool>()) std::cout << "(not available in this build)";
    std::cout << '\n';
  }
  std::cout << std::setw(8) << "prune"
            << (config.prune_enabled
                    ? "after each successful backup: " + std::to_string(config.retention.daily) + " daily, " +
                          std::to_string(config.retention.monthly) + " monthly, " +
                          std::to_string(config.retention.yearly) + " yearly"
                    : std::string("disabled"))
            << '\n';
}

int run_agent(const agent::AgentConfig& config, const pg::ConnInfo& database, bool json) {
  // Block the stop signals in every thread (threads inherit the mask) and
  // take them here with sigwait: no work happens in a signal handler.
  // Child processes get a clean mask from pg::spawn.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  agent::Log log(json);
  agent::Agent agent(config, database, {.log = &log});
  agent.start();
  int received = 0;
  sigwait(&stop_signals, &received);
  log.info("agent",
           std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") +
               ": stopping; a job in flight is aborted",
           {{"signal", received}});
  agent.stop();
  if (!agent.wait(config.shutdown_timeout)) {
    log.error("agent",
              "a job did not stop within shutdown_timeout; exiting anyway: it wrote no manifest, so nothing "
              "half-done counts as a backup");
    std::_Exit(1);
  }
  log.info("agent", "stopped");
  return 0;
}

}  // namespace

void register_agent_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<AgentFlags>();
  CLI::App* command = root.add_subcommand(
      "agent",
      "Run the backup schedule (backup, prune, check, drill) and serve /healthz, /readyz, /metrics and "
      "the read API (/api/...) until SIGTERM");
  command->add_option("--config", flags->config,
                      "Configuration file (default: ./soulstone.toml when present)");
  command->add_option("--listen", flags->listen, "HTTP address host:port (overrides [agent] listen)");
  command->add_option("--store", flags->store,
                      "Backup store URL (overrides SOULSTONE_BACKUP_URL and [agent] store)");
  command->add_flag("--serve-only", flags->serve_only,
                    "Serve the HTTP endpoints (health, metrics, read API) without running any job; needs no "
                    "backup store (the restore drill runs its read-API checks this way)");
  command->add_flag("--check-config", flags->check_config,
                    "Validate the configuration, print the jobs and their next runs, and exit");
  command->footer(
      "Exit codes: 0 stopped cleanly (SIGTERM/SIGINT), 1 a job did not stop within shutdown_timeout, "
      "3 bad configuration.\nLogs go to stderr, one line per event (JSON objects with --json).\n"
      "The read API (/api/...) needs a bearer token: SOULSTONE_API_TOKEN, or [agent.api] token_file.");
  command->callback([&context, flags] {
    agent::AgentConfig config = resolve_config(*flags);
    std::optional<pg::ConnInfo> database = configured_database(config);
    if (flags->check_config) return print_check(config, database, context.json);
    int code = run_agent(config, database ? *database : context.database(), context.json);
    if (code != 0) std::exit(code);
  });
}

}  // namespace soulstone::cli
