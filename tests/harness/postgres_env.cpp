#include "postgres_env.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <optional>

#include "base/temp_dir.hpp"

namespace soulstone::testing {

namespace {

std::unique_ptr<TempDir> g_folder;
std::unique_ptr<pg::EmbeddedServer> g_server;
std::atomic<pid_t> g_postmaster{0};
std::atomic<int> g_database_counter{0};

// A crashing test binary cannot run TearDown; SIGQUIT asks the postmaster
// for an immediate shutdown (kill is async-signal-safe), so no server
// outlives its test binary.
void stop_on_fatal_signal(int signal) {
  if (pid_t pid = g_postmaster.load(); pid > 0) ::kill(pid, SIGQUIT);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    g_folder = std::make_unique<TempDir>("soulstone-test-pg-");
    // The server runs as an unprivileged account when we are root: it must
    // be able to reach its folder.
    ::chmod(g_folder->path().c_str(), 0755);
    g_server = std::make_unique<pg::EmbeddedServer>(
        pg::EmbeddedOptions{.dir = g_folder->path() / "cluster", .ephemeral = true});
    pg::ServerStatus status = g_server->start();
    g_postmaster = status.pid;
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM, SIGINT})
      ::signal(sig, stop_on_fatal_signal);
  }

  void TearDown() override {
    if (g_server) g_server->stop();
    g_postmaster = 0;
    g_server.reset();
    g_folder.reset();
  }
};

}  // namespace

pg::ConnInfo postgres(const std::string& database) { return postgres_server().conninfo(database); }

pg::EmbeddedServer& postgres_server() {
  if (!g_server) throw std::logic_error("the PostgreSQL test environment is not set up");
  return *g_server;
}

pg::ConnInfo fresh_database(const std::string& prefix) {
  std::string name = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(++g_database_counter);
  auto admin = pg::Connection::open(postgres());
  admin.exec("CREATE DATABASE " + admin.quote_identifier(name));
  return postgres(name);
}

void register_postgres_environment() { ::testing::AddGlobalTestEnvironment(new PostgresEnvironment); }

}  // namespace soulstone::testing
