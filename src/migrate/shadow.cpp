#include "migrate/shadow.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "base/error.hpp"
#include "base/unique_fd.hpp"
#include "migrate/deploy.hpp"
#include "migrate/history.hpp"
#include "pg/environment_mark.hpp"

namespace soulstone::migrate {

namespace {

constexpr char kDropped = 'd';

// Drops the temporary database. A CREATE DATABASE that a dying client sent
// may still be running in its backend when the guardian starts, so it drops
// again until no session is busy with that name (bounded: a few seconds).
bool drop_database(const pg::ConnInfo& server, const std::string& name, bool wait_for_creators) noexcept {
  try {
    pg::Connection admin = pg::Connection::open(server, {.application_name = "soulstone shadow database"});
    const std::string drop = "DROP DATABASE IF EXISTS " + admin.quote_identifier(name) + " WITH (FORCE)";
    for (int attempt = 0; attempt < 50; ++attempt) {
      admin.exec(drop);
      if (!wait_for_creators) return true;
      pg::Result busy = admin.exec(
          "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
          "AND strpos(query, $1) > 0 AND state <> 'idle')",
          pg::Params{name});
      if (busy.get(0, 0) != "t") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } catch (...) {
    return false;
  }
  return true;
}

// The guardian: waits for a byte or end-of-file on the pipe. A byte means the
// database is already dropped; end-of-file without it means we died.
[[noreturn]] void guard(int pipe, const pg::ConnInfo& server, const std::string& name) {
  // Out of the terminal's process group and deaf to the usual signals, so
  // the Ctrl-C that stops us does not stop the guardian too.
  (void)::setpgid(0, 0);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE})
    (void)::signal(sig, SIG_IGN);
  sigset_t none;
  sigemptyset(&none);
  (void)::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Keep no descriptor of ours open (our connections, the caller's pipes):
  // someone reading our output must see it end when we end.
  int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; ++fd)
    (void)::dup2(null, fd);
  (void)::dup2(pipe, 3);
  (void)::syscall(SYS_close_range, 4u, ~0u, 0u);
  char byte = 0;
  ssize_t got = 0;
  do {
    got = ::read(3, &byte, 1);
  } while (got < 0 && errno == EINTR);
  if (got == 1 && byte == kDropped) ::_exit(0);
  ::_exit(drop_database(server, name, true) ? 0 : 1);
}

bool same_database(const pg::ConnInfo& a, const pg::ConnInfo& b) {
  auto field = [](const pg::ConnInfo& info, const char* key, const char* fallback) {
    return info.get(key).value_or(fallback);
  };
  std::string a_db = field(a, "dbname", field(a, "user", "").c_str());
  std::string b_db = field(b, "dbname", field(b, "user", "").c_str());
  return a_db == b_db && field(a, "host", "") == field(b, "host", "") &&
         field(a, "port", "5432") == field(b, "port", "5432");
}

}  // namespace

struct ShadowDatabase::Guardian {
  pid_t pid = -1;
  UniqueFd pipe;  // our end; closing it without a byte tells the guardian to drop

  // Waits for the guardian to end: at once when the database is dropped,
  // else after it has dropped it.
  void finish(bool dropped) noexcept {
    if (pid < 0) return;
    if (dropped) (void)!::write(pipe.get(), &kDropped, 1);
    pipe.reset();
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
  }
  ~Guardian() { finish(false); }
};

ShadowDatabase::ShadowDatabase(const ShadowOptions& options, const pg::ConnInfo& main)
    : schema_(options.schema) {
  if (options.configured) {
    if (same_database(*options.configured, main))
      throw Error(
          ErrorKind::Refused,
          "the shadow database " + options.configured->redacted() + " is the development database itself",
          "a shadow database is emptied on every run: point SHADOW_DATABASE_URL (or shadowDatabaseUrl) at "
          "a scratch database, or unset it to use a temporary one");
    connection_ = std::make_unique<pg::Connection>(pg::Connection::open(*options.configured));
    if (pg::read_mark(*connection_) == pg::Environment::Production)
      throw Error(
          ErrorKind::Refused, "the shadow database " + connection_->display_url() + " is marked production",
          "a shadow database is emptied on every run: point SHADOW_DATABASE_URL (or shadowDatabaseUrl) at "
          "a scratch database");
    database_ = std::string(connection_->exec("SELECT current_database()").get(0, 0));
    reset();
    return;
  }

  temporary_ = true;
  server_ = options.server;
  database_ = "prisma_migrate_shadow_db_" + random_uuid();
  // The guardian first, so that no moment exists where the database could
  // outlive us unseen. Signals wait until both processes are set up.
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::Failure, "cannot create a pipe for the shadow database: " + errno_text(errno));
  sigset_t all, previous;
  sigfillset(&all);
  ::sigprocmask(SIG_BLOCK, &all, &previous);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[1]);
    guard(fds[0], *server_, database_);
  }
  const int fork_error = errno;
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    throw Error(ErrorKind::Failure, "cannot start the shadow database's guardian: " + errno_text(fork_error));
  }
  guardian_ = std::make_unique<Guardian>();
  guardian_->pid = pid;
  guardian_->pipe.reset(fds[1]);

  pg::Connection admin = pg::Connection::open(*server_);
  admin.exec("CREATE DATABASE " + admin.quote_identifier(database_));
  connection_ = std::make_unique<pg::Connection>(pg::Connection::open(server_->with_database(database_)));
  if (schema_ != "public") use_schema(*connection_, schema_);
}

ShadowDatabase::~ShadowDatabase() {
  connection_.reset();
  if (!temporary_) return;
  bool dropped = drop_database(*server_, database_, false);
  if (guardian_) guardian_->finish(dropped);
}

void ShadowDatabase::reset() {
  const std::string quoted = connection_->quote_identifier(schema_);
  connection_->exec("DROP SCHEMA IF EXISTS " + quoted + " CASCADE; CREATE SCHEMA " + quoted);
  if (schema_ != "public") use_schema(*connection_, schema_);
}

}  // namespace soulstone::migrate
