#pragma once
// The embedded PostgreSQL: a server of our own in a folder we own (default
// .soulstone/pg), used by every command when DATABASE_URL is unset, and by
// the test harness for throw-away clusters.
//
// Layout of the folder:
//   data/             PGDATA (0700), with soulstone.conf included from postgresql.conf
//   run/              the Unix socket
//   server.log        the server's log
// It listens on 127.0.0.1 only, on a free port chosen at first start and kept
// across restarts while it stays free. Local connections are trusted: the
// server is for development, drills and tests, never for production data.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "pg/url.hpp"

namespace soulstone::pg {

struct EmbeddedOptions {
  std::filesystem::path dir = ".soulstone/pg";
  std::string superuser = "postgres";
  // Trades durability for speed (fsync off, initdb --no-sync): for tests.
  bool ephemeral = false;
};

struct ServerStatus {
  bool initialized = false;  // initdb has run
  bool running = false;
  pid_t pid = 0;
  int port = 0;
  std::filesystem::path data_dir;
  std::filesystem::path socket_dir;
  std::filesystem::path log_file;
};

class EmbeddedServer {
 public:
  explicit EmbeddedServer(EmbeddedOptions options);

  [[nodiscard]] ServerStatus status() const;

  // Initialises the folder if needed and starts the server; a server that is
  // already running is left as it is. A postmaster.pid left by a crash is
  // removed once it is proven stale. Throws Error(ExternalTool) with the
  // tail of the server log when the server does not come up.
  ServerStatus start();

  // Stops the server (fast shutdown) and waits; a stopped server is a no-op.
  void stop();

  // The connection parameters of the running server (TCP on 127.0.0.1).
  // Throws Error(Failure) with a hint when it is not running.
  [[nodiscard]] ConnInfo conninfo(const std::string& database = "postgres") const;

  [[nodiscard]] const EmbeddedOptions& options() const noexcept { return options_; }

 private:
  void initialise();
  void write_settings(int port);
  [[nodiscard]] int configured_port() const;
  void remove_stale_pid_file();
  void run_pg_ctl_start();

  EmbeddedOptions options_;
  std::filesystem::path dir_;  // absolute
};

// A TCP port on 127.0.0.1 that was free a moment ago.
[[nodiscard]] int find_free_port();

}  // namespace soulstone::pg
