#include "pg/embedded.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"

namespace soulstone::pg {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSettingsFile = "soulstone.conf";
// sockaddr_un holds 108 bytes; leave room for "/.s.PGSQL.65535" and the NUL.
constexpr std::size_t kMaxSocketDirLength = 90;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw Error(ErrorKind::Failure, "cannot write " + path.string());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);)
    lines.push_back(line);
  return lines;
}

// The last lines of the server log, for error messages.
std::string log_tail(const fs::path& log, std::size_t count = 5) {
  auto lines = lines_of(read_file(log));
  std::string out;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
    if (!out.empty()) out += " | ";
    out += lines[i];
  }
  return out;
}

bool port_is_free(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return false;
  int one = 1;
  // PostgreSQL binds with SO_REUSEADDR too, so a port in TIME_WAIT counts as free.
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

// True when pid is a live process running the postgres binary. A pid that is
// alive but belongs to something else (pids are reused after a reboot or in
// containers) means the pid file is stale.
bool is_postgres_process(pid_t pid) {
  if (pid <= 0) return false;
  if (::kill(pid, 0) != 0 && errno != EPERM) return false;
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
  if (error) return false;  // not ours to inspect: not the server we started
  return exe.filename() == "postgres";
}

void chown_tree(const fs::path& root, const std::optional<OsUser>& user) {
  if (!user) return;
  auto own = [&](const fs::path& path) {
    if (::lchown(path.c_str(), user->uid, user->gid) != 0)
      throw Error(ErrorKind::Failure,
                  "cannot hand " + path.string() + " to " + user->name + ": " + errno_text(errno));
  };
  own(root);
  if (!fs::is_directory(root)) return;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    own(entry.path());
}

RunResult run_tool(const Command& command, const std::optional<OsUser>& user) {
  return run(as_user(command, user), {.timeout = std::chrono::minutes(2)});
}

}  // namespace

int find_free_port() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (!fd.valid() || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw Error(ErrorKind::Failure, "cannot find a free port on 127.0.0.1: " + errno_text(errno));
  }
  return ntohs(address.sin_port);
}

EmbeddedServer::EmbeddedServer(EmbeddedOptions options)
    : options_(std::move(options)), dir_(fs::absolute(options_.dir).lexically_normal()) {}

ServerStatus EmbeddedServer::status() const {
  ServerStatus status;
  status.data_dir = dir_ / "data";
  status.socket_dir = dir_ / "run";
  status.log_file = dir_ / "server.log";
  status.initialized = fs::exists(status.data_dir / "PG_VERSION");
  status.port = status.initialized ? configured_port() : 0;

  // postmaster.pid: pid, data dir, start time, port, socket dir, address, shm key, state.
  auto lines = lines_of(read_file(status.data_dir / "postmaster.pid"));
  if (lines.size() >= 4) {
    pid_t pid = static_cast<pid_t>(std::atol(lines[0].c_str()));
    if (is_postgres_process(pid)) {
      status.running = true;
      status.pid = pid;
      status.port = std::atoi(lines[3].c_str());
    }
  }
  return status;
}

int EmbeddedServer::configured_port() const {
  for (const auto& line : lines_of(read_file(dir_ / "data" / kSettingsFile))) {
    if (line.rfind("port = ", 0) == 0) return std::atoi(line.c_str() + 7);
  }
  return 0;
}

void EmbeddedServer::initialise() {
  auto user = server_os_user();
  fs::create_directories(dir_);
  fs::create_directories(dir_ / "run");
  chown_tree(dir_, user);

  Command initdb{.argv = {tool_path("initdb"), "--pgdata=" + (dir_ / "data").string(),
                          "--username=" + options_.superuser, "--encoding=UTF8", "--locale=C", "--auth=trust",
                          "--no-instructions"},
                 .cwd = dir_};
  if (options_.ephemeral) initdb.argv.push_back("--no-sync");
  RunResult result = run_tool(initdb, user);
  if (!result.status.ok()) {
    throw Error(ErrorKind::ExternalTool, "initdb failed (" + result.status.describe() + "): " + result.err,
                "the folder and every parent must be reachable by the account that runs PostgreSQL");
  }
  std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
  conf << "\n# soulstone's own settings (port, addresses, socket)\ninclude_if_exists = '" << kSettingsFile
       << "'\n";
}

void EmbeddedServer::write_settings(int port) {
  std::string socket_dir = (dir_ / "run").string();
  // Too long a path cannot hold a Unix socket; TCP on loopback still works.
  if (socket_dir.size() > kMaxSocketDirLength) socket_dir.clear();
  std::string text = "# Written by soulstone at every start; edit postgresql.conf instead.\n";
  text += "port = " + std::to_string(port) + "\n";
  text += "listen_addresses = '127.0.0.1'\n";
  text += "unix_socket_directories = '" + socket_dir + "'\n";
  if (options_.ephemeral) {
    text += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  }
  fs::path path = dir_ / "data" / kSettingsFile;
  write_file(path, text);
  chown_tree(path, server_os_user());
}

void EmbeddedServer::remove_stale_pid_file() {
  if (status().running) return;
  // The process named in postmaster.pid is gone (or a zombie, or another
  // program that got its pid): a crash left the file, and the socket lock
  // files in our private socket folder, behind. postgres itself would take
  // a pid that is still a zombie for a live server and refuse to start.
  fs::remove(dir_ / "data" / "postmaster.pid");
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(dir_ / "run", ignored)) {
    if (entry.path().filename().string().rfind(".s.PGSQL.", 0) == 0) fs::remove(entry.path(), ignored);
  }
}

void EmbeddedServer::run_pg_ctl_start() {
  auto user = server_os_user();
  Command start{.argv = {tool_path("pg_ctl"), "start", "--pgdata=" + (dir_ / "data").string(),
                         "--log=" + (dir_ / "server.log").string(), "--wait", "--timeout=60", "--silent"},
                .cwd = dir_};
  RunResult result = run_tool(start, user);
  if (result.status.ok()) return;
  throw Error(ErrorKind::ExternalTool,
              "the embedded PostgreSQL did not start (" + result.status.describe() +
                  "): " + log_tail(dir_ / "server.log"),
              "see " + (dir_ / "server.log").string());
}

ServerStatus EmbeddedServer::start() {
  if (!fs::exists(dir_ / "data" / "PG_VERSION")) initialise();
  if (ServerStatus current = status(); current.running) return current;
  remove_stale_pid_file();

  // A server killed hard leaves children that hold its shared memory for a
  // moment; another program may have taken our port since the last start.
  // Both are retried; anything else is reported at once.
  constexpr int kAttempts = 20;
  for (int attempt = 1;; ++attempt) {
    int port = configured_port();
    if (port == 0 || !port_is_free(port)) port = find_free_port();
    write_settings(port);
    try {
      run_pg_ctl_start();
      return status();
    } catch (const Error&) {
      std::string tail = log_tail(dir_ / "server.log", 3);
      bool transient = tail.find("could not bind") != std::string::npos ||
                       tail.find("already in use") != std::string::npos ||
                       tail.find("pre-existing shared memory") != std::string::npos;
      if (!transient || attempt == kAttempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
}

void EmbeddedServer::stop() {
  if (!status().running) {
    remove_stale_pid_file();
    return;
  }
  Command stop{.argv = {tool_path("pg_ctl"), "stop", "--pgdata=" + (dir_ / "data").string(), "--mode=fast",
                        "--wait", "--timeout=60", "--silent"},
               .cwd = dir_};
  RunResult result = run_tool(stop, server_os_user());
  if (!result.status.ok()) {
    throw Error(ErrorKind::ExternalTool,
                "pg_ctl stop failed (" + result.status.describe() + "): " + result.err,
                "see " + (dir_ / "server.log").string());
  }
}

ConnInfo EmbeddedServer::conninfo(const std::string& database) const {
  ServerStatus current = status();
  if (!current.running) {
    throw Error(ErrorKind::Failure, "the embedded PostgreSQL in " + dir_.string() + " is not running",
                "start it with `soulstone pg start`, or set DATABASE_URL");
  }
  ConnInfo info;
  info.set("host", "127.0.0.1");
  info.set("port", std::to_string(current.port));
  info.set("user", options_.superuser);
  info.set("dbname", database);
  return info;
}

}  // namespace soulstone::pg
