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

TEST(AgentDrillJob, RunsTheDrillOnScheduleAppendsTheReportAndShowsTheVerdict) {
  TempDir dir("soulstone-agent-drill-");
  pg::ConnInfo shop = soulstone::testing::seeded_shop(0.05);
  auto root = dir.path() / "store";
  (void)backup::run(*store::open_file_store(root), shop, {});

  AgentConfig config;
  config.listen = "127.0.0.1:0";
  config.backup.enabled = false;
  config.check.enabled = false;
  config.drill.schedule = "*/10 * * * *";
  config.drill_schema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
  config.migrations = SOULSTONE_SOURCE_DIR "/apps/api/prisma/migrations";
  config.drill_report = (dir.path() / "runbook.md").string();
  config.agent_binary = SOULSTONE_BINARY;
  std::mutex mutex;
  std::vector<std::string> lines;
  Log log{false, [&](const std::string& line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
          }};
  sys_seconds t0 = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now())) - 1min;
  schedule::ManualClock clock(t0);
  Agent agent(config, shop,
              {.clock = &clock,
               .open_store = [root] { return store::open_file_store(root); },
               .state = std::make_unique<schedule::MemoryState>(),
               .log = &log});
  agent.start();
  auto runs = [&](const std::string& result) {
    return agent.metrics().counter("job_runs", {{"job", "drill"}, {"result", result}});
  };

  // The job's thread must have read the clock before it moves.
  wait_until(
      [&] {
        std::lock_guard lock(mutex);
        return std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
          return line.find("drill: next run at") != std::string::npos;
        });
      },
      "the drill to be scheduled");
  clock.set(t0 + 1min);
  wait_until([&] { return runs("success") + runs("failure") == 1; }, "the first drill");
  std::string runbook = read(dir.path() / "runbook.md");
  EXPECT_EQ(runs("success"), 1) << runbook;
  EXPECT_NE(runbook.find("UTC: passed"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("| api | GET /api/products | passed | HTTP 200"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("Read API calls (an agent on the copy):"), std::string::npos) << runbook;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "runbook.jsonl"));
  std::string metrics = agent.metrics().render();
  EXPECT_NE(metrics.find("soulstone_drill_available 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("soulstone_drill_last_status{store=\"file://"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("soulstone_drill_failed_checks{store=\"file://" + root.string() + "\"} 0"),
            std::string::npos)
      << metrics;

  // Nothing left to restore: the next drill fails, and says why.
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  clock.set(t0 + 11min);
  wait_until([&] { return runs("failure") == 1; }, "the failing drill");
  runbook = read(dir.path() / "runbook.md");
  EXPECT_NE(runbook.find("UTC: FAILED"), std::string::npos) << runbook;
  metrics = agent.metrics().render();
  EXPECT_NE(metrics.find("soulstone_drill_failed_checks{store=\"file://" + root.string() + "\"} 1"),
            std::string::npos)
      << metrics;
  {
    std::lock_guard lock(mutex);
    bool said = std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
      return line.find("drill: failure") != std::string::npos &&
             line.find("drill failed: 1 check(s) failed") != std::string::npos;
    });
    EXPECT_TRUE(said);
  }
  agent.stop();
  EXPECT_TRUE(agent.wait(10s));
}

// The agent is stopped while its drill restores: the restore is cut short,
// the checks still to come are not run, the copy is dropped, the report is
// appended, and the job counts as aborted.
TEST(AgentDrillJob, AStopDuringTheDrillDropsTheCopyAndRecordsAnAbortedRun) {
  TempDir dir("soulstone-agent-drill-stop-");
  pg::ConnInfo shop = soulstone::testing::seeded_shop(3);  // a restore that takes a moment
  auto root = dir.path() / "store";
  (void)backup::run(*store::open_file_store(root), shop, {});

  AgentConfig config;
  config.listen = "127.0.0.1:0";
  config.backup.enabled = false;
  config.check.enabled = false;
  config.drill.schedule = "*/10 * * * *";
  config.drill_report = (dir.path() / "runbook.md").string();
  std::mutex mutex;
  std::vector<std::string> lines;
  Log log{false, [&](const std::string& line) {
            std::lock_guard lock(mutex);
            lines.push_back(line);
          }};
  auto logged = [&](const std::string& text) {
    std::lock_guard lock(mutex);
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
  };
  sys_seconds t0 = sys_seconds(ceil<duration<long, std::ratio<600>>>(system_clock::now())) - 1min;
  schedule::ManualClock clock(t0);
  Agent agent(config, shop,
              {.clock = &clock,
               .open_store = [root] { return store::open_file_store(root); },
               .state = std::make_unique<schedule::MemoryState>(),
               .log = &log});
  agent.start();
  wait_until([&] { return logged("drill: next run at"); }, "the drill to be scheduled");
  clock.set(t0 + 1min);
  wait_until([&] { return logged("phase restore"); }, "the drill's restore");
  agent.stop();
  ASSERT_TRUE(agent.wait(30s));

  EXPECT_EQ(agent.metrics().counter("job_runs", {{"job", "drill"}, {"result", "aborted"}}), 1);
  EXPECT_EQ(agent.metrics().counter("job_runs", {{"job", "drill"}, {"result", "success"}}), 0);
  std::string runbook = read(dir.path() / "runbook.md");
  EXPECT_NE(runbook.find("the drill was stopped"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("); dropped afterwards"), std::string::npos) << runbook;
  auto server = pg::Connection::open(shop.with_database("postgres"));
  EXPECT_EQ(
      server.exec("SELECT count(*) FROM pg_database WHERE datname LIKE 'soulstone_restore_%'").get(0, 0), "0")
      << "the drill's copy was left behind";
}

}  // namespace
}  // namespace soulstone::agent
