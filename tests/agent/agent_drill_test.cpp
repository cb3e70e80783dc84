// The agent's quarterly drill job on a compressed schedule: it restores the
// latest backup of a seeded Soulstone database, runs every check of
// `soulstone drill` (the api phase included, with the soulstone binary as
// the agent on the copy), appends the report to the runbook and shows the
// verdict in /metrics; with no backup left, the job fails and says why.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <thread>

#include "agent/agent.hpp"
#include "backup/backup.hpp"
#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "seeded_shop.hpp"
#include "store/file_store.hpp"

namespace soulstone::agent {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

void wait_until(const std::function<bool()>& ready, const std::string& what) {
  auto deadline = steady_clock::now() + 120s;
  while (!ready()) {
    ASSERT_LT(steady_clock::now(), deadline) << "timed out waiting for " << what;
    std::this_thread::sleep_for(50ms);
  }
}

// An agent whose only job is the drill, every ten minutes on a manual clock,
// over a file store holding one backup of `shop`; its log lines are kept.
struct DrillAgent {
  DrillAgent(const pg::ConnInfo& shop, const std::function<void(AgentConfig&)>& adjust) {
    (void)backup::run(*store::open_file_store(root), shop, {});
    AgentConfig config;
    config.listen = "127.0.0.1:0";
    config.backup.enabled = false;
    config.check.enabled = false;
    config.drill.schedule = "*/10 * * * *";
    config.drill_report = runbook_path().string();
    adjust(config);
    agent = std::make_unique<Agent>(
        config, shop,
        AgentDependencies{.clock = &clock,
                          .open_store = [this] { return store::open_file_store(root); },
                          .state = std::make_unique<schedule::MemoryState>(),
                          .log = &log});
    agent->start();
    // The job's thread must have read the clock before it moves.
    wait_until([&] { return logged("drill: next run at"); }, "the drill to be scheduled");
  }

  [[nodiscard]] bool logged(const std::string& text, const std::string& also = {}) {
    std::lock_guard lock(mutex_);
    return std::any_of(lines_.begin(), lines_.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos && line.find(also) != std::string::npos;
    });
  }
  [[nodiscard]] double runs(const std::string& result) const {
    return agent->metrics().counter("job_runs", {{"job", "drill"}, {"result", result}});
  }
  [[nodiscard]] std::filesystem::path runbook_path() const { return dir.path() / "runbook.md"; }

  TempDir dir{"soulstone-agent-drill-"};
  std::filesystem::path root = dir.path() / "store";
  sys_seconds t0 = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now())) - 1min;
  schedule::ManualClock clock{t0};
  std::mutex mutex_;
  std::vector<std::string> lines_;
  Log log{false, [this](const std::string& line) {
            std::lock_guard lock(mutex_);
            lines_.push_back(line);
          }};
  std::unique_ptr<Agent> agent;
};

TEST(AgentDrillJob, RunsTheDrillOnScheduleAppendsTheReportAndShowsTheVerdict) {
  DrillAgent drill(soulstone::testing::seeded_shop(0.05), [](AgentConfig& config) {
    config.drill_schema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
    config.migrations = SOULSTONE_SOURCE_DIR "/apps/api/prisma/migrations";
    config.agent_binary = SOULSTONE_BINARY;
  });
  drill.clock.set(drill.t0 + 1min);
  wait_until([&] { return drill.runs("success") + drill.runs("failure") == 1; }, "the first drill");
  std::string runbook = read(drill.runbook_path());
  EXPECT_EQ(drill.runs("success"), 1) << runbook;
  EXPECT_NE(runbook.find("UTC: passed"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("| api | GET /api/products | passed | HTTP 200"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("Read API calls (an agent on the copy):"), std::string::npos) << runbook;
  EXPECT_TRUE(std::filesystem::exists(drill.dir.path() / "runbook.jsonl"));
  std::string metrics = drill.agent->metrics().render();
  EXPECT_NE(metrics.find("soulstone_drill_available 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("soulstone_drill_last_status{store=\"file://"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("soulstone_drill_failed_checks{store=\"file://" + drill.root.string() + "\"} 0"),
            std::string::npos)
      << metrics;

  // Nothing left to restore: the next drill fails, and says why.
  std::filesystem::remove_all(drill.root);
  std::filesystem::create_directories(drill.root);
  drill.clock.set(drill.t0 + 11min);
  wait_until([&] { return drill.runs("failure") == 1; }, "the failing drill");
  runbook = read(drill.runbook_path());
  EXPECT_NE(runbook.find("UTC: FAILED"), std::string::npos) << runbook;
  metrics = drill.agent->metrics().render();
  EXPECT_NE(metrics.find("soulstone_drill_failed_checks{store=\"file://" + drill.root.string() + "\"} 1"),
            std::string::npos)
      << metrics;
  EXPECT_TRUE(drill.logged("drill: failure", "drill failed: 1 check(s) failed"));
  drill.agent->stop();
  EXPECT_TRUE(drill.agent->wait(10s));
}

// The agent is stopped while its drill restores: the restore is cut short,
// the checks still to come are not run, the copy is dropped, the report is
// appended, and the job counts as aborted.
TEST(AgentDrillJob, AStopDuringTheDrillDropsTheCopyAndRecordsAnAbortedRun) {
  pg::ConnInfo shop = soulstone::testing::seeded_shop(3);  // a restore that takes a moment
  DrillAgent drill(shop, [](AgentConfig&) {});
  drill.clock.set(drill.t0 + 1min);
  wait_until([&] { return drill.logged("phase restore"); }, "the drill's restore");
  drill.agent->stop();
  ASSERT_TRUE(drill.agent->wait(30s));

  EXPECT_EQ(drill.runs("aborted"), 1);
  EXPECT_EQ(drill.runs("success"), 0);
  std::string runbook = read(drill.runbook_path());
  EXPECT_NE(runbook.find("the drill was stopped"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("); dropped afterwards"), std::string::npos) << runbook;
  auto server = pg::Connection::open(shop.with_database("postgres"));
  EXPECT_EQ(
      server.exec("SELECT count(*) FROM pg_database WHERE datname LIKE 'soulstone_restore_%'").get(0, 0), "0")
      << "the drill's copy was left behind";
}

}  // namespace
}  // namespace soulstone::agent
