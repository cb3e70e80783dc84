// The agent end to end on a manual clock, against the throw-away cluster
// and a file:// store (and once s3rver): scheduled backups, prunes and checks happen in
// order; /metrics and /readyz follow each outcome, a failing backup turns
// /readyz red and a good one green again; downtime is caught up by policy;
// a stop aborts a backup in flight without leaving anything behind.
#include "agent/agent.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "catalog/catalog.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"
#include "raw_http.hpp"
#include "s3rver.hpp"
#include "store/file_store.hpp"
#include "store/s3_store.hpp"

namespace soulstone::agent {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// The file store, with writes refused on demand (a full disk, a revoked key).
class FaultyStore final : public store::ObjectStore {
 public:
  FaultyStore(std::unique_ptr<store::ObjectStore> inner, std::shared_ptr<std::atomic<bool>> refuse)
      : inner_(std::move(inner)), refuse_(std::move(refuse)) {}
  std::unique_ptr<store::ObjectWriter> put(const std::string& key) override {
    if (*refuse_) throw Error(ErrorKind::Storage, "injected fault: the store refuses writes");
    return inner_->put(key);
  }
  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    inner_->get(key, consume);
  }
  std::vector<store::ObjectInfo> list(const std::string& prefix) override { return inner_->list(prefix); }
  std::optional<store::ObjectInfo> head(const std::string& key) override { return inner_->head(key); }
  void remove(const std::string& key) override { inner_->remove(key); }
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<store::ObjectStore> inner_;
  std::shared_ptr<std::atomic<bool>> refuse_;
};

void wait_until(const std::function<bool()>& ready, const std::string& what, milliseconds limit = 60s) {
  auto deadline = steady_clock::now() + limit;
  while (!ready()) {
    ASSERT_LT(steady_clock::now(), deadline) << "timed out waiting for " << what;
    std::this_thread::sleep_for(20ms);
  }
}

// Backups are named by the second they start: never start two in one.
void next_real_second() {
  auto now = system_clock::now();
  std::this_thread::sleep_until(ceil<seconds>(now) + 10ms);
}

testing::RawResponse get(int port, const std::string& path) {
  testing::RawClient client(port);
  client.send("GET " + path + " HTTP/1.1\r\nHost: agent\r\n\r\n");
  auto response = client.response();
  EXPECT_TRUE(response) << path;
  return response.value_or(testing::RawResponse{});
}

// The value of the first series of `name` whose labels contain `labels`.
std::optional<double> metric(const std::string& text, const std::string& name,
                             const std::string& labels = "") {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name, 0) != 0 || line.size() <= name.size()) continue;
    char next = line[name.size()];
    if (next != ' ' && next != '{') continue;
    if (!labels.empty() && line.find(labels) == std::string::npos) continue;
    return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

std::map<std::string, std::string> checks(const testing::RawResponse& readyz) {
  std::map<std::string, std::string> out;
  nlohmann::json document = nlohmann::json::parse(readyz.body);
  for (const auto& check : document["checks"])
    out[check["name"].get<std::string>()] = check["status"].get<std::string>();
  return out;
}

pg::ConnInfo shop() {
  pg::ConnInfo url = soulstone::testing::fresh_database("agent");
  pg::Connection::open(url).exec(
      "CREATE TABLE product (id bigint PRIMARY KEY, slug text UNIQUE, price numeric(10,2));"
      "INSERT INTO product SELECT g, 'product-' || g, g * 0.5 FROM generate_series(1, 3000) g;");
  return url;
}

class AgentTest : public ::testing::Test {
 protected:
  std::unique_ptr<Agent> make_agent(schedule::ManualClock& clock,
                                    std::unique_ptr<schedule::StateStore> state) {
    auto refuse = refuse_;
    auto inner = inner_store_;
    return std::make_unique<Agent>(
        config_, database_,
        AgentDependencies{
            .clock = &clock,
            .open_store = [refuse, inner] { return std::make_unique<FaultyStore>(inner(), refuse); },
            .state = std::move(state),
            .log = &log_});
  }
  double runs(Agent& agent, const std::string& job, const std::string& result) {
    return agent.metrics().counter("job_runs", {{"job", job}, {"result", result}});
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  // Positions of the first log lines that contain each fragment, in order.
  std::vector<std::size_t> positions(const std::vector<std::string>& fragments) {
    auto all = lines();
    std::vector<std::size_t> out;
    for (const auto& fragment : fragments) {
      std::size_t at = 0;
      while (at < all.size() && all[at].find(fragment) == std::string::npos)
        ++at;
      out.push_back(at);
    }
    return out;
  }
  catalog::Catalog catalog() { return catalog::read_catalog(*inner_store_()); }

  TempDir dir_{"soulstone-agent-"};
  // The store under the fault injector: a file:// folder unless a test says otherwise.
  std::function<std::unique_ptr<store::ObjectStore>()> inner_store_ = [root = dir_.path() / "store"] {
    return store::open_file_store(root);
  };
  pg::ConnInfo database_ = shop();
  std::shared_ptr<std::atomic<bool>> refuse_ = std::make_shared<std::atomic<bool>>(false);
  std::mutex mutex_;
  std::vector<std::string> lines_;
  Log log_{false, [this](const std::string& line) {
             std::lock_guard lock(mutex_);
             lines_.push_back(line);
           }};
  AgentConfig config_ = [] {
    AgentConfig c;
    c.listen = "127.0.0.1:0";
    c.backup.schedule = "*/10 * * * *";
    c.check.schedule = "5-59/10 * * * *";
    c.max_backup_age = 1h;
    c.http.threads = 2;
    c.migrations = "/nonexistent/migrations";  // these databases have no history: the check is unavailable
    return c;
  }();
};

TEST_F(AgentTest, SchedulesBackupsPrunesAndChecksAndShowsEachOutcome) {
  // One minute before a multiple of ten minutes, near the real time (the
  // manifests carry real times; backup_age compares them with this clock).
  sys_seconds t0 = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now())) - 1min;
  schedule::ManualClock clock(t0);
  auto agent = make_agent(clock, std::make_unique<schedule::MemoryState>());
  agent->start();
  int port = agent->http_port();

  EXPECT_EQ(get(port, "/healthz").status, 200);
  auto readyz = get(port, "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(checks(readyz), (std::map<std::string, std::string>{{"database", "pass"},
                                                                {"migrations", "unavailable"},
                                                                {"backup_age", "fail"},
                                                                {"last_backup", "pass"}}));
  EXPECT_NE(readyz.body.find("no good backup in the store"), std::string::npos) << readyz.body;

  // 1. The scheduled backup, then its prune.
  next_real_second();
  clock.set(t0 + 1min);
  wait_until([&] { return runs(*agent, "prune", "success") == 1 && runs(*agent, "backup", "success") == 1; },
             "the first backup and its prune");
  std::string metrics = get(port, "/metrics").body;
  EXPECT_EQ(metric(metrics, "soulstone_backup_last_status"), 1);
  EXPECT_GT(metric(metrics, "soulstone_backup_size_bytes").value_or(0), 1000);
  EXPECT_EQ(metric(metrics, "soulstone_backup_rows_total"), 3000);
  EXPECT_GT(metric(metrics, "soulstone_backup_last_success_timestamp_seconds").value_or(0), 0);
  EXPECT_EQ(metric(metrics, "soulstone_prune_last_status"), 1);
  EXPECT_EQ(metric(metrics, "soulstone_prune_kept_backups"), 1);
  EXPECT_EQ(metric(metrics, "soulstone_agent_job_runs_total", "job=\"backup\",result=\"success\""), 1);
  EXPECT_EQ(get(port, "/readyz").status, 200);

  // 2. The check, five minutes later, verifies the backup.
  clock.set(t0 + 6min);
  wait_until([&] { return runs(*agent, "check", "success") == 1; }, "the first check");
  metrics = get(port, "/metrics").body;
  EXPECT_EQ(metric(metrics, "soulstone_check_last_status"), 1);
  EXPECT_TRUE(metric(metrics, "soulstone_check_latest_age_seconds"));

  // 3. A failing backup: /readyz turns red on last_backup, the age still passes.
  *refuse_ = true;
  clock.set(t0 + 11min);
  wait_until([&] { return runs(*agent, "backup", "failure") == 1; }, "the failing backup");
  metrics = get(port, "/metrics").body;
  EXPECT_EQ(metric(metrics, "soulstone_backup_last_status"), 0);
  EXPECT_EQ(metric(metrics, "soulstone_agent_job_runs_total", "job=\"backup\",result=\"failure\""), 1);
  EXPECT_EQ(metric(metrics, "soulstone_agent_job_runs_total", "job=\"prune\",result=\"success\""),
            1);  // no prune
  readyz = get(port, "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(checks(readyz)["last_backup"], "fail");
  EXPECT_EQ(checks(readyz)["backup_age"], "pass");
  EXPECT_NE(readyz.body.find("injected fault: the store refuses writes"), std::string::npos) << readyz.body;

  // 4. The next good backup turns it green; its prune drops the first one
  //    when both fall on the same day (newest of each day is kept).
  *refuse_ = false;
  next_real_second();
  clock.set(t0 + 21min);
  wait_until([&] { return runs(*agent, "backup", "success") == 2 && runs(*agent, "prune", "success") == 2; },
             "the second good backup");
  readyz = get(port, "/readyz");
  EXPECT_EQ(readyz.status, 200) << readyz.body;
  auto kept = catalog();
  ASSERT_GE(kept.entries.size(), 1U);
  metrics = get(port, "/metrics").body;
  EXPECT_EQ(metric(metrics, "soulstone_prune_kept_backups"), static_cast<double>(kept.entries.size()));
  EXPECT_EQ(metric(metrics, "soulstone_prune_kept_backups").value_or(0) +
                metric(metrics, "soulstone_prune_deleted_backups").value_or(0),
            2);

  // 5. Over an hour passes with writes refused: the backup fires missed
  //    meanwhile are run once (and fail), the check on time finds the
  //    newest backup too old, and /readyz says both.
  *refuse_ = true;
  clock.set(t0 + 96min);
  wait_until([&] { return runs(*agent, "backup", "failure") == 2 && runs(*agent, "check", "failure") == 1; },
             "the stale check");
  metrics = get(port, "/metrics").body;
  EXPECT_EQ(metric(metrics, "soulstone_check_last_status"), 0);
  // Backup fires at t0+31 .. t0+91 min, none reached on time: 7, run once.
  EXPECT_EQ(metric(metrics, "soulstone_agent_job_missed_total", "job=\"backup\""), 7);
  // Check fires at t0+16 (jumped over in step 4) and t0+26 .. t0+86: 8, skipped.
  EXPECT_EQ(metric(metrics, "soulstone_agent_job_missed_total", "job=\"check\""), 8);
  readyz = get(port, "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(checks(readyz)["backup_age"], "fail");
  EXPECT_EQ(checks(readyz)["last_backup"], "fail");
  EXPECT_EQ(checks(readyz)["database"], "pass");

  // In order: backup, its prune, then the check.
  auto order = positions({"backup: started", "backup: backup soulstone-", "prune: kept", "backup: success",
                          "check: started", "check: success"});
  for (std::size_t i = 1; i < order.size(); ++i)
    EXPECT_LT(order[i - 1], order[i]) << "log line " << i << " out of order";
  EXPECT_LT(order.back(), lines().size());

  agent->stop();
  EXPECT_TRUE(agent->wait(10s));
  // Everything the HTTP server answered was counted.
  metrics = agent->metrics().render();
  EXPECT_GE(
      metric(metrics, "soulstone_agent_http_requests_total", "code=\"503\",route=\"readyz\"").value_or(0), 3);
  EXPECT_GE(
      metric(metrics, "soulstone_agent_http_requests_total", "code=\"200\",route=\"metrics\"").value_or(0),
      5);
}

TEST_F(AgentTest, CatchesUpMissedRunsAfterDowntimeByPolicy) {
  // The state says the last backup and check fired two days ago; now is
  // 2.5 minutes past a backup fire and 7.5 past a check fire: neither on time.
  sys_seconds t0 = sys_seconds(floor<duration<long, std::ratio<600>>>(system_clock::now())) + 2min + 30s;
  auto state = std::make_unique<schedule::MemoryState>();
  state->record_fire("backup", t0 - 48h);
  state->record_fire("check", t0 - 48h);
  schedule::MemoryState* raw = state.get();
  schedule::ManualClock clock(t0);
  auto agent = make_agent(clock, std::move(state));
  agent->start();
  wait_until([&] { return runs(*agent, "backup", "success") == 1; }, "the catch-up backup");
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(runs(*agent, "check", "success") + runs(*agent, "check", "failure"), 0);  // check: skip
  EXPECT_GT(raw->last_fire("check").value(), t0 - 10min);  // skipped fires count as handled
  EXPECT_GT(raw->last_fire("backup").value(), t0 - 10min);
  std::string metrics = get(agent->http_port(), "/metrics").body;
  EXPECT_GT(metric(metrics, "soulstone_agent_job_missed_total", "job=\"backup\"").value_or(0), 200);
  auto all = lines();
  EXPECT_TRUE(std::any_of(all.begin(), all.end(), [](const std::string& line) {
    return line.find("missed = run-once: running once now") != std::string::npos;
  }));
}

TEST_F(AgentTest, AgainstS3rverBackupsPrunesAndChecksFollowTheScheduleAndReadyzFollowsThem) {
  soulstone::testing::S3rver s3;
  store::S3Config s3_config;
  s3_config.bucket = s3.bucket();
  s3_config.prefix = "agent";
  s3_config.endpoint = s3.endpoint();
  s3_config.credentials = {"S3RVER", "S3RVER", ""};
  s3_config.max_attempts = 2;
  s3_config.backoff_base = 5ms;
  inner_store_ = [s3_config] { return store::open_s3_store(s3_config); };

  sys_seconds t0 = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now())) - 1min;
  schedule::ManualClock clock(t0);
  auto agent = make_agent(clock, std::make_unique<schedule::MemoryState>());
  agent->start();
  int port = agent->http_port();
  EXPECT_EQ(get(port, "/readyz").status, 503);  // an empty bucket: no good backup yet

  next_real_second();
  clock.set(t0 + 1min);
  wait_until([&] { return runs(*agent, "prune", "success") == 1; }, "the backup to s3rver and its prune");
  EXPECT_EQ(runs(*agent, "backup", "success"), 1);
  ASSERT_NE(catalog().latest_good(), nullptr);
  EXPECT_EQ(get(port, "/readyz").status, 200);

  clock.set(t0 + 6min);
  wait_until([&] { return runs(*agent, "check", "success") == 1; }, "the check reading s3rver back");
  EXPECT_EQ(metric(get(port, "/metrics").body, "soulstone_check_last_status"), 1);

  *refuse_ = true;
  clock.set(t0 + 11min);
  wait_until([&] { return runs(*agent, "backup", "failure") == 1; }, "the failing backup");
  auto readyz = get(port, "/readyz");
  EXPECT_EQ(readyz.status, 503);
  EXPECT_EQ(checks(readyz)["last_backup"], "fail");
  EXPECT_EQ(checks(readyz)["backup_age"], "pass");
  EXPECT_EQ(metric(get(port, "/metrics").body, "soulstone_backup_last_status"), 0);

  *refuse_ = false;
  next_real_second();
  clock.set(t0 + 21min);
  wait_until([&] { return runs(*agent, "backup", "success") == 2 && runs(*agent, "prune", "success") == 2; },
             "the second good backup");
  EXPECT_EQ(get(port, "/readyz").status, 200);
  auto order = positions({"backup: started", "prune: kept", "check: started", "check: success"});
  for (std::size_t i = 1; i < order.size(); ++i)
    EXPECT_LT(order[i - 1], order[i]) << "log line " << i << " out of order";
  EXPECT_LT(order.back(), lines().size());
  agent->stop();
  EXPECT_TRUE(agent->wait(10s));
}

// Direct children of this process that run pg_dump on a snapshot.
int pg_dump_children() {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line) || line.find("(pg_dump)") == std::string::npos) continue;
    long parent = std::atol(line.c_str() + line.rfind(')') + 4);
    if (parent != ::getpid()) continue;
    // The dump itself, not the `pg_dump --version` run just before it.
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find("--snapshot") != std::string::npos) ++count;
  }
  return count;
}

TEST_F(AgentTest, StopAbortsABackupInFlightAndLeavesNoTrace) {
  // pg_dump waits for this lock, so the backup is caught in flight.
  pg::Connection locker = pg::Connection::open(database_);
  locker.exec("BEGIN; LOCK TABLE product IN ACCESS EXCLUSIVE MODE");
  sys_seconds fire = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now()));
  auto state = std::make_unique<schedule::MemoryState>();
  state->record_fire("backup", fire - 10min);
  schedule::MemoryState* raw = state.get();
  schedule::ManualClock clock(fire - 1s);
  auto agent = make_agent(clock, std::move(state));
  agent->start();
  clock.set(fire);
  wait_until([&] { return pg_dump_children() == 1; }, "pg_dump waiting for the lock");

  auto began = steady_clock::now();
  agent->stop();
  EXPECT_TRUE(agent->wait(10s));
  EXPECT_LT(steady_clock::now() - began, 3s);
  EXPECT_EQ(runs(*agent, "backup", "aborted"), 1);
  EXPECT_EQ(pg_dump_children(), 0);
  // Nothing in the store: no archive, no manifest, no lock left behind.
  auto store = inner_store_();
  EXPECT_TRUE(store->list("").empty()) << store->list("").front().key;
  // Not counted as done: a restart with run-once makes the backup up.
  EXPECT_EQ(raw->last_fire("backup"), fire - 10min);
  locker.exec("ROLLBACK");
}

}  // namespace
}  // namespace soulstone::agent
