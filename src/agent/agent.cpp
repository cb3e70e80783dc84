#include "agent/agent.hpp"

#include <cstdlib>
#include <filesystem>

#include "archive/cipher_sink.hpp"
#include "pg/subprocess.hpp"
#include "schedule/time_text.hpp"
#include "store/cancellable.hpp"

namespace soulstone::agent {

namespace {

const std::vector<std::string> kJobs = {"backup", "prune", "check", "drill"};
const std::vector<std::string> kRoutes = {"index",        "healthz",     "readyz",          "metrics",
                                          "api_products", "api_product", "api_collections", "api_order"};

std::optional<archive::Key> configured_key() {
  const char* text = std::getenv("SOULSTONE_BACKUP_KEY");
  if (text == nullptr || *text == '\0') return std::nullopt;
  return archive::parse_key_hex(text);
}

std::string duration_text(std::chrono::duration<double> took) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", took.count());
  return text;
}

}  // namespace

Agent::Agent(AgentConfig config, pg::ConnInfo database, AgentDependencies dependencies)
    : config_(std::move(config)),
      database_(std::move(database)),
      clock_(dependencies.clock),
      log_(dependencies.log),
      open_store_(std::move(dependencies.open_store)),
      state_(std::move(dependencies.state)),
      zone_(schedule::TimeZone::load(config_.time_zone)) {
  if (clock_ == nullptr) {
    own_clock_ = std::make_unique<schedule::SystemClock>();
    clock_ = own_clock_.get();
  }
  if (log_ == nullptr) {
    own_log_ = std::make_unique<Log>(false);
    log_ = own_log_.get();
  }
  if (config_.serve_only) {
    // No job runs, so no store is opened and no state is kept.
    open_store_ = []() -> std::unique_ptr<store::ObjectStore> {
      throw Error(ErrorKind::Failure, "the agent runs with --serve-only: it has no backup store");
    };
    state_ = std::make_unique<schedule::MemoryState>();
  }
  if (!open_store_) {
    std::string url = config_.store;
    (void)store::open_store(url);  // a bad URL fails now, not at 02:00
    open_store_ = [url] { return store::open_store(url); };
  }
  if (!state_) {
    std::filesystem::path path(config_.state_file);
    std::error_code ignored;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
    state_ = std::make_unique<schedule::FileState>(config_.state_file);
  }
  metrics_ = std::make_unique<AgentMetrics>(*clock_, kJobs, kRoutes);
  readiness_ = std::make_unique<Readiness>(
      ReadinessOptions{
          .database = database_,
          .open_store = open_store_,
          .max_backup_age = config_.max_backup_age,
          .min_size_ratio = config_.min_size_ratio,
          .catalog_refresh = config_.catalog_refresh,
          .migrations = [database = database_,
                         folder = config_.migrations] { return migration_check(database, folder); },
          .backups = !config_.serve_only},
      *clock_, backup_state_, *metrics_);
  jobs_ = std::make_unique<JobContext>(JobContext{.config = config_,
                                                  .database = database_,
                                                  .open_store = open_store_,
                                                  .key = configured_key(),
                                                  .clock = *clock_,
                                                  .zone = zone_,
                                                  .metrics = *metrics_,
                                                  .state = backup_state_,
                                                  .log = *log_});
  scheduler_ = std::make_unique<schedule::Scheduler>(*clock_, zone_, *state_, observer());
  if (!config_.serve_only) add_jobs();
  if (config_.api.enabled && !config_.api_token.empty()) {
    std::size_t connections = config_.api.max_connections > 0
                                  ? config_.api.max_connections
                                  : static_cast<std::size_t>(config_.http.threads);
    api_ = std::make_unique<api::ReadApi>(
        api::Options{.database = database_,
                     .token = config_.api_token,
                     .page_size = config_.api.page_size,
                     .max_connections = connections,
                     .statement_timeout = config_.api.statement_timeout,
                     .problem = [this](const std::string& message) { log_->error("api", message); }});
  }
  http_ = std::make_unique<HttpServer>(
      config_.http,
      HttpHooks{
          .answered = [this](const std::string& route, int status) { metrics_->http_request(route, status); },
          .problem = [this](const std::string& message) { log_->error("http", message); }});
  add_routes();
}

Agent::~Agent() {
  stop();
  if (joiner_.joinable()) joiner_.join();
}

void Agent::add_jobs() {
  JobContext& context = *jobs_;
  auto add = [&](const std::string& name, const JobConfig& job,
                 schedule::RunResult (*body)(JobContext&, std::stop_token)) {
    if (!job.enabled) return;
    scheduler_->add({.name = name,
                     .cron = schedule::CronExpression::parse(job.schedule),
                     .missed = job.missed,
                     .run = [&context, body](std::stop_token stop, std::chrono::sys_seconds) {
                       return body(context, stop);
                     }});
  };
  add("backup", config_.backup, &run_backup);
  add("check", config_.check, &run_check);
  add("drill", config_.drill, &run_drill);
}

schedule::Observer Agent::observer() {
  return {
      .scheduled =
          [this](const std::string& job, std::chrono::sys_seconds next) {
            metrics_->job_scheduled(job, next);
            log_->info(job,
                       "next run at " + schedule::format_utc_seconds(next) + " (" +
                           schedule::format_local_minutes(zone_.to_local(next)) + " " + zone_.name() + ")",
                       {{"job", job}, {"next", schedule::format_utc_seconds(next)}});
          },
      .missed =
          [this](const std::string& job, std::size_t count, schedule::MissedPolicy policy) {
            metrics_->job_missed(job, count);
            log_->warn(job,
                       std::to_string(count) + " scheduled run(s) could not start on time; missed = " +
                           schedule::to_string(policy) +
                           (policy == schedule::MissedPolicy::RunOnce ? ": running once now" : ": skipped"),
                       {{"job", job}, {"missed", count}, {"policy", schedule::to_string(policy)}});
          },
      .started =
          [this](const std::string& job, std::chrono::sys_seconds fire) {
            metrics_->job_started(job);
            log_->info(job, "started (scheduled for " + schedule::format_utc_seconds(fire) + ")",
                       {{"job", job}, {"fire", schedule::format_utc_seconds(fire)}});
          },
      .finished =
          [this](const std::string& job, const schedule::RunResult& result,
                 std::chrono::duration<double> took) {
            metrics_->job_finished(job, result.outcome, took);
            std::string line = std::string(schedule::to_string(result.outcome)) + " in " +
                               duration_text(took) + (result.message.empty() ? "" : ": " + result.message);
            nlohmann::json fields = {
                {"job", job}, {"outcome", schedule::to_string(result.outcome)}, {"seconds", took.count()}};
            if (result.outcome == schedule::Outcome::Failed)
              log_->error(job, line, fields);
            else
              log_->info(job, line, fields);
          },
      .problem = [this](const std::string& job, const std::string& problem) { log_->error(job, problem); },
  };
}

void Agent::add_routes() {
  nlohmann::json endpoints = {"/healthz", "/readyz", "/metrics"};
  if (api_) {
    for (const char* path : {"/api/products?collection=&page=", "/api/products/{slug}",
                             "/api/collections?page=", "/api/orders/{id}"})
      endpoints.push_back(path);
  }
  http_->route("/", "index", [endpoints](const HttpRequest&) {
    return HttpResponse{
        .body = nlohmann::json({{"service", "soulstone agent"}, {"endpoints", endpoints}}).dump() + "\n"};
  });
  add_api_routes();
  http_->route("/healthz", "healthz", [this](const HttpRequest&) {
    // Liveness only: the process answers. Dependencies are /readyz's business.
    return HttpResponse{.body = nlohmann::json({{"status", "ok"}}).dump() + "\n"};
  });
  http_->route("/readyz", "readyz", [this](const HttpRequest&) {
    ReadinessReport report = readiness_->evaluate();
    return HttpResponse{.status = report.ready ? 200 : 503, .body = report.to_json().dump(2) + "\n"};
  });
  http_->route("/metrics", "metrics", [this](const HttpRequest&) {
    return HttpResponse{.content_type = "text/plain; version=0.0.4; charset=utf-8",
                        .body = metrics_->render()};
  });
}

void Agent::add_api_routes() {
  for (const api::Route& route : api::routes()) {
    HttpHandler handler = [this](const HttpRequest& request) {
      if (!api_)
        return HttpResponse{.status = 404,
                            .body = error_body(404,
                                               "the read API is off: no token is configured "
                                               "(SOULSTONE_API_TOKEN or [agent.api] token_file)")};
      api::Request call{.path = request.path, .params = {}, .authorization = {}};
      for (const auto& [key, value] : request.params)
        call.params.emplace_back(key, value);
      if (auto it = request.headers.find("authorization"); it != request.headers.end())
        call.authorization = it->second;
      api::Response answer = api_->handle(call);
      return HttpResponse{
          .status = answer.status, .body = std::move(answer.body), .headers = std::move(answer.headers)};
    };
    if (route.prefix) {
      http_->route_prefix(route.path, route.name, std::move(handler));
    } else {
      http_->route(route.path, route.name, std::move(handler));
    }
  }
}

void Agent::start() {
  ListenAddress address = parse_listen(config_.listen);
  port_ = http_->listen(address);
  bool loopback = address.host == "127.0.0.1" || address.host == "::1" || address.host == "localhost";
  log_->info("agent",
             "listening on " + address.host + ":" + std::to_string(port_) +
                 (loopback ? "" : " (not loopback: put it behind a firewall or a proxy)"),
             {{"port", port_}, {"host", address.host}, {"config", config_.source}});
  if (!api_ && config_.api.enabled)
    log_->info("api", "the read API is off: set SOULSTONE_API_TOKEN or [agent.api] token_file to serve it");
  if (config_.serve_only) log_->info("agent", "serving HTTP only (--serve-only): no job runs");
  scheduler_->start();
  started_ = true;
}

void Agent::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stop_requested_) return;
    stop_requested_ = true;
  }
  http_->stop();
  scheduler_->request_stop();
  int terminated = pg::terminate_tool_children();
  if (terminated > 0)
    log_->warn("agent", "terminated " + std::to_string(terminated) + " pg_dump/pg_restore process(es)");
  joiner_ = std::thread([this] {
    scheduler_->join();
    std::lock_guard lock(stop_mutex_);
    jobs_ended_ = true;
    stopped_.notify_all();
  });
}

bool Agent::wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(stop_mutex_);
  while (!jobs_ended_) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // A job may have started a tool after the first sweep: sweep again.
    stopped_.wait_for(lock, std::chrono::milliseconds(200));
    if (!jobs_ended_) {
      lock.unlock();
      (void)pg::terminate_tool_children();
      lock.lock();
    }
  }
  return true;
}

}  // namespace soulstone::agent
