#include "agent/readiness.hpp"

#include "backup/backup.hpp"
#include "backup/metrics.hpp"
#include "migrate/migrations_dir.hpp"
#include "migrate/status.hpp"
#include "pg/connection.hpp"
#include "schedule/time_text.hpp"

namespace soulstone::agent {

namespace {

const char* status_text(Check::Status status) {
  switch (status) {
    case Check::Status::Pass:
      return "pass";
    case Check::Status::Fail:
      return "fail";
    case Check::Status::Unavailable:
      return "unavailable";
  }
  return "fail";
}

std::string utc_text(std::chrono::system_clock::time_point at) {
  return schedule::format_utc_seconds(std::chrono::floor<std::chrono::seconds>(at));
}

}  // namespace

void BackupState::backup_finished(LastRun run) {
  std::lock_guard lock(mutex_);
  last_backup_ = std::move(run);
  ++generation_;
}

std::optional<LastRun> BackupState::last_backup() const {
  std::lock_guard lock(mutex_);
  return last_backup_;
}

void BackupState::store_changed() {
  std::lock_guard lock(mutex_);
  ++generation_;
}

std::uint64_t BackupState::store_generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

nlohmann::json ReadinessReport::to_json() const {
  nlohmann::json checks_json = nlohmann::json::array();
  for (const auto& check : checks)
    checks_json.push_back(
        {{"name", check.name}, {"status", status_text(check.status)}, {"detail", check.detail}});
  return {{"ready", ready}, {"checks", checks_json}};
}

Readiness::Readiness(ReadinessOptions options, const schedule::Clock& clock, BackupState& state,
                     AgentMetrics& metrics)
    : options_(std::move(options)), clock_(clock), state_(state), metrics_(metrics) {}

ReadinessReport Readiness::evaluate() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  // A job that changed the store or finished a backup makes the cache stale at once.
  if (cached_ && now - cached_at_ < options_.cache && cached_generation_ == state_.store_generation())
    return *cached_;
  cached_generation_ = state_.store_generation();
  ReadinessReport report;
  report.checks.push_back(database());
  report.checks.push_back(options_.migrations ? options_.migrations()
                                              : Check{"migrations", Check::Status::Unavailable,
                                                      "migration status is not available in this build"});
  if (options_.backups) {
    report.checks.push_back(backup_age());
    report.checks.push_back(last_backup());
  } else {
    for (const char* name : {"backup_age", "last_backup"})
      report.checks.push_back(
          {name, Check::Status::Unavailable, "not checked: this agent serves HTTP only (--serve-only)"});
  }
  report.ready = std::none_of(report.checks.begin(), report.checks.end(),
                              [](const Check& c) { return c.status == Check::Status::Fail; });
  cached_ = report;
  cached_at_ = std::chrono::steady_clock::now();
  return report;
}

Check migration_check(const pg::ConnInfo& database, const std::filesystem::path& folder) {
  std::error_code missing;
  if (!std::filesystem::is_directory(folder, missing))
    return {"migrations", Check::Status::Unavailable,
            "no migrations folder at " + folder.string() + " (set [agent] migrations)"};
  try {
    migrate::MigrationsDir dir = migrate::read_migrations_dir(folder);
    pg::Connection connection =
        pg::Connection::open(database, {.connect_timeout_seconds = 3, .application_name = "soulstone-agent"});
    migrate::StatusReport status = migrate::status(connection, dir);
    std::string problem;
    auto name = [&](const std::vector<std::string>& names, const std::string& what) {
      if (!names.empty() && problem.empty()) problem = names.front() + " " + what;
    };
    if (status.not_managed()) problem = "the database has tables but no _prisma_migrations table";
    name(status.failed, "failed and was never resolved");
    name(status.pending, "is not applied");
    name(status.edited, "was edited after it was applied");
    name(status.missing_locally, "is applied but not in " + folder.string());
    std::size_t count =
        status.pending.size() + status.failed.size() + status.edited.size() + status.missing_locally.size();
    if (!problem.empty())
      return {"migrations", Check::Status::Fail,
              problem + (count > 1 ? " (and " + std::to_string(count - 1) + " more)" : "") +
                  ": run soulstone migrate status"};
    return {"migrations", Check::Status::Pass,
            "all " + std::to_string(status.local_migrations) + " migrations of " + folder.string() +
                " are applied"};
  } catch (const std::exception& error) {
    return {"migrations", Check::Status::Fail, error.what()};
  }
}

Check Readiness::database() const {
  try {
    pg::Connection connection = pg::Connection::open(
        options_.database, {.connect_timeout_seconds = 3, .application_name = "soulstone-agent"});
    (void)connection.exec("SELECT 1", {.timeout = std::chrono::seconds(2)});
    return {"database", Check::Status::Pass,
            "reachable (server version " + std::to_string(connection.server_version()) + ")"};
  } catch (const std::exception& error) {
    // Connection errors are redacted by the pg module.
    return {"database", Check::Status::Fail, error.what()};
  }
}

Check Readiness::backup_age() {
  auto now = std::chrono::steady_clock::now();
  std::uint64_t generation = state_.store_generation();
  bool stale = (!catalog_ && catalog_error_.empty()) || now - catalog_at_ >= options_.catalog_refresh ||
               generation != catalog_generation_;
  if (stale) {
    try {
      auto store = options_.open_store();
      catalog_ = catalog::read_catalog(*store);
      catalog_error_.clear();
      auto samples = backup::backup_metrics(store->describe(), *catalog_, std::nullopt);
      metrics_.set_samples("catalog", std::move(samples));
    } catch (const std::exception& error) {
      catalog_.reset();
      catalog_error_ = error.what();
    }
    catalog_at_ = now;
    catalog_generation_ = generation;
  }
  if (!catalog_)
    return {"backup_age", Check::Status::Fail, "cannot read the backup store: " + catalog_error_};
  backup::CheckReport report = backup::check(*catalog_, clock_.now(),
                                             {.max_age = options_.max_backup_age,
                                              .min_size_ratio = options_.min_size_ratio,
                                              .verify_latest = false});
  return {"backup_age", report.ok ? Check::Status::Pass : Check::Status::Fail, report.reason};
}

Check Readiness::last_backup() const {
  auto run = state_.last_backup();
  if (!run) return {"last_backup", Check::Status::Pass, "no backup run by this agent yet"};
  std::string when = utc_text(run->at);
  switch (run->outcome) {
    case schedule::Outcome::Succeeded:
      return {"last_backup", Check::Status::Pass, "the last backup run (" + when + ") succeeded"};
    case schedule::Outcome::Aborted:
      return {"last_backup", Check::Status::Fail, "the last backup run (" + when + ") was aborted"};
    default:
      return {"last_backup", Check::Status::Fail,
              "the last backup run (" + when + ") failed: " + run->message};
  }
}

}  // namespace soulstone::agent
