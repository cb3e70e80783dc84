// soulstone agent through the real binary: the configuration check, the
// refusal of bad configurations, and the process lifecycle: it catches up
// a missed backup, serves its endpoints, and on SIGTERM aborts a backup in
// flight (leaving nothing in the store) and exits 0; the restarted agent
// makes the backup up.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "postgres_env.hpp"
#include "raw_http.hpp"
#include "schedule/time_text.hpp"
#include "store/file_store.hpp"

namespace soulstone::cli {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// A running `soulstone agent` whose stderr (its log) is read line by line.
class AgentProcess {
 public:
  AgentProcess(const std::filesystem::path& cwd, const pg::ConnInfo& database, std::vector<std::string> args)
      : child_(pg::spawn(
            {.argv = with_binary(std::move(args)), .env = {{"DATABASE_URL", database.url()}}, .cwd = cwd},
            {.in = pg::Stdio::Null, .out = pg::Stdio::Null, .err = pg::Stdio::Pipe})) {}
  ~AgentProcess() {
    if (!status_) {
      child_.kill(SIGKILL);
      (void)child_.wait();
    }
  }

  // Waits for a log line containing `fragment`; returns it.
  std::optional<std::string> line(const std::string& fragment, milliseconds limit = 60s) {
    auto deadline = steady_clock::now() + limit;
    while (true) {
      for (std::size_t at = 0; (at = log_.find('\n', at)) != std::string::npos; ++at) {
        std::size_t begin = log_.rfind('\n', at == 0 ? 0 : at - 1);
        begin = begin == std::string::npos || begin >= at ? 0 : begin + 1;
        std::string text = log_.substr(begin, at - begin);
        if (text.find(fragment) != std::string::npos) return text;
      }
      if (steady_clock::now() >= deadline || !read_some(deadline)) return std::nullopt;
    }
  }

  int port() {
    auto text = line("listening on 127.0.0.1:");
    if (!text) return 0;
    return std::stoi(text->substr(text->find("127.0.0.1:") + 10));
  }

  void signal(int number) { child_.kill(number); }

  std::optional<pg::ExitStatus> exit(milliseconds limit) {
    auto deadline = steady_clock::now() + limit;
    while (steady_clock::now() < deadline) {
      (void)read_some(steady_clock::now() + 50ms);
      if (auto status = child_.try_wait()) {
        while (read_some(steady_clock::now() + 50ms)) {
        }
        status_ = status;
        return status;
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] pid_t pid() const { return child_.pid(); }
  [[nodiscard]] const std::string& log() const { return log_; }

 private:
  static std::vector<std::string> with_binary(std::vector<std::string> args) {
    args.insert(args.begin(), SOULSTONE_BINARY);
    return args;
  }
  bool read_some(steady_clock::time_point deadline) {
    if (!child_.stderr_pipe().valid()) return false;
    auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
    pollfd fd{child_.stderr_pipe().get(), POLLIN, 0};
    if (::poll(&fd, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0) return false;
    char buffer[4096];
    ssize_t got = ::read(fd.fd, buffer, sizeof buffer);
    if (got <= 0) {
      child_.stderr_pipe().reset();
      return false;
    }
    log_.append(buffer, static_cast<std::size_t>(got));
    return true;
  }

  pg::Child child_;
  std::string log_;
  std::optional<pg::ExitStatus> status_;
};

int pg_dump_children_of(pid_t parent) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string text;
    if (!std::getline(stat, text) || text.find("(pg_dump)") == std::string::npos) continue;
    if (std::atol(text.c_str() + text.rfind(')') + 4) != parent) continue;
    // The dump itself, not the `pg_dump --version` run just before it.
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find("--snapshot") != std::string::npos) ++count;
  }
  return count;
}

class AgentCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = soulstone::testing::fresh_database("cli_agent");
    pg::Connection::open(database_).exec(
        "CREATE TABLE collection (id int PRIMARY KEY, name text);"
        "INSERT INTO collection SELECT g, 'c' || g FROM generate_series(1, 500) g;");
  }

  std::string write_config(const std::string& extra = "") {
    std::string path = (dir_.path() / "soulstone.toml").string();
    std::ofstream(path) << "[agent]\nlisten = \"127.0.0.1:0\"\nstore = \"file://" << store_dir().string()
                        << "\"\nstate_file = \"" << state_file() << "\"\nshutdown_timeout = \"10s\"\n"
                        << extra;
    return path;
  }
  std::filesystem::path store_dir() const { return dir_.path() / "store"; }
  std::string state_file() const { return (dir_.path() / "state.json").string(); }
  std::string read_state() const {
    std::ifstream in(state_file());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  // As if the agent had been down since its backup two days ago.
  std::string missed_backup_state() {
    auto two_days_ago = floor<days>(system_clock::now()) - days(2) + hours(2);
    std::string last = schedule::format_utc_seconds(two_days_ago);
    std::ofstream(state_file()) << R"({"version": 1, "jobs": {"backup": {"last_fire": ")" << last
                                << "\"}}}\n";
    return last;
  }

  pg::RunResult soulstone(std::vector<std::string> args) {
    args.insert(args.begin(), SOULSTONE_BINARY);
    return pg::run({.argv = args, .env = {{"DATABASE_URL", database_.url()}}, .cwd = dir_.path()});
  }

  TempDir dir_{"soulstone-cli-agent"};
  pg::ConnInfo database_;
};

TEST_F(AgentCommandTest, CheckConfigPrintsTheJobsAndTheirNextRuns) {
  std::string config =
      write_config("time_zone = \"Europe/Berlin\"\n[agent.check]\nschedule = \"*/15 * * * *\"\n");
  auto result = soulstone({"agent", "--config", config, "--check-config", "--json"});
  ASSERT_EQ(result.status.code, 0) << result.err;
  auto document = nlohmann::json::parse(result.out);
  EXPECT_EQ(document["time_zone"], "Europe/Berlin");
  EXPECT_EQ(document["database"], database_.redacted());
  EXPECT_EQ(document["jobs"][0]["job"], "backup");
  EXPECT_EQ(document["jobs"][0]["schedule"], "0 2 * * *");
  ASSERT_EQ(document["jobs"][0]["next"].size(), 3U);
  EXPECT_EQ(document["jobs"][0]["next"][0]["local"].get<std::string>().substr(11), "02:00");
  EXPECT_EQ(document["jobs"][1]["schedule"], "*/15 * * * *");
  EXPECT_EQ(document["jobs"][2]["job"], "drill");
  EXPECT_EQ(document["jobs"][2]["available"], true);
  EXPECT_EQ(document["prune"]["daily"], 30);
  EXPECT_EQ(document["api"]["token"], "none: the read API is off");
  auto text = soulstone({"agent", "--config", config, "--check-config"});
  EXPECT_EQ(text.out.find("(not available in this build)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("read API       off (no token"), std::string::npos) << text.out;
}

TEST_F(AgentCommandTest, RefusesBadConfigurationsWithExitCode3) {
  std::string config = write_config("[agent.backup]\nshedule = \"@daily\"\n");
  auto typo = soulstone({"agent", "--config", config});
  EXPECT_EQ(typo.status.code, 3);
  EXPECT_NE(typo.err.find("soulstone.toml:7:1: unknown key agent.backup.shedule"), std::string::npos)
      << typo.err;

  std::ofstream(dir_.path() / "soulstone.toml") << "[agent]\nlisten = \"127.0.0.1:0\"\n";
  auto no_store = soulstone({"agent"});  // ./soulstone.toml is read by default
  EXPECT_EQ(no_store.status.code, 3);
  EXPECT_NE(no_store.err.find("no backup store configured"), std::string::npos) << no_store.err;

  auto missing = soulstone({"agent", "--config", "nowhere.toml"});
  EXPECT_EQ(missing.status.code, 3);
  EXPECT_NE(missing.err.find("nowhere.toml does not exist"), std::string::npos) << missing.err;
}

TEST_F(AgentCommandTest, CatchesUpServesAndStopsCleanlyOnSigterm) {
  std::string config = write_config();
  missed_backup_state();
  AgentProcess agent(dir_.path(), database_, {"agent", "--config", config});
  int port = agent.port();
  ASSERT_GT(port, 0) << agent.log();
  ASSERT_TRUE(agent.line("backup: success")) << agent.log();
  EXPECT_TRUE(agent.line("missed = run-once: running once now"));

  testing::RawClient health(port);
  health.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(health.response()->status, 200);
  testing::RawClient ready(port);
  ready.send("GET /readyz HTTP/1.1\r\nHost: a\r\n\r\n");
  auto readyz = ready.response();
  ASSERT_TRUE(readyz);
  EXPECT_EQ(readyz->status, 200) << readyz->body;
  testing::RawClient scrape(port);
  scrape.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
  auto metrics = scrape.response();
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("soulstone_backup_last_status{store=\"file://"), std::string::npos);
  EXPECT_TRUE(metrics->has_header("Content-Type: text/plain; version=0.0.4"));

  auto began = steady_clock::now();
  agent.signal(SIGTERM);
  auto status = agent.exit(10s);
  ASSERT_TRUE(status) << agent.log();
  EXPECT_EQ(status->code, 0) << agent.log();
  EXPECT_LT(steady_clock::now() - began, 3s);
  EXPECT_NE(agent.log().find("received SIGTERM"), std::string::npos);
  EXPECT_NE(agent.log().find("agent: stopped"), std::string::npos);
  EXPECT_EQ(agent.log().find("postgresql://"), std::string::npos) << "the log names no connection string";
}

TEST_F(AgentCommandTest, SigtermAbortsABackupInFlightAndTheRestartMakesItUp) {
  std::string config = write_config();
  std::string last = missed_backup_state();
  pg::Connection locker = pg::Connection::open(database_);
  locker.exec("BEGIN; LOCK TABLE collection IN ACCESS EXCLUSIVE MODE");
  {
    AgentProcess agent(dir_.path(), database_, {"agent", "--config", config});
    ASSERT_TRUE(agent.line("backup: started")) << agent.log();
    auto deadline = steady_clock::now() + 30s;
    while (pg_dump_children_of(agent.pid()) == 0 && steady_clock::now() < deadline)
      std::this_thread::sleep_for(20ms);
    ASSERT_EQ(pg_dump_children_of(agent.pid()), 1) << "pg_dump never started; " << agent.log();

    agent.signal(SIGTERM);
    auto status = agent.exit(10s);
    ASSERT_TRUE(status) << agent.log();
    EXPECT_EQ(status->code, 0) << agent.log();
    EXPECT_TRUE(agent.line("backup: aborted")) << agent.log();
  }
  // Nothing in the store, and the fire is not marked as handled.
  auto store = store::open_file_store(store_dir());
  EXPECT_TRUE(store->list("").empty());
  EXPECT_NE(read_state().find(last), std::string::npos) << read_state();
  locker.exec("ROLLBACK");

  AgentProcess again(dir_.path(), database_, {"agent", "--config", config});
  ASSERT_TRUE(again.line("backup: success")) << again.log();
  again.signal(SIGTERM);
  auto status = again.exit(10s);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->code, 0);
  EXPECT_EQ(read_state().find(last), std::string::npos) << read_state();
}

}  // namespace
}  // namespace soulstone::cli
