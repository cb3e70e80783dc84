#include "pg/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/error.hpp"

extern char** environ;

namespace soulstone::pg {

namespace {

// Writing to a pipe whose reader has gone must be an error we see (EPIPE),
// not a signal that kills us; children get the default disposition back.
void ignore_sigpipe_once() {
  static const bool done = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

std::pair<UniqueFd, UniqueFd> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorKind::Failure, "cannot create a pipe: " + errno_text(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

class SpawnActions {
 public:
  SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

class SpawnAttributes {
 public:
  SpawnAttributes() { ::posix_spawnattr_init(&attributes_); }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&attributes_); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
  posix_spawnattr_t* get() { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

// Arranges one of the child's standard streams; returns the parent's end.
UniqueFd wire(SpawnActions& actions, Stdio mode, int target, bool child_reads,
              std::vector<UniqueFd>& child_ends) {
  switch (mode) {
    case Stdio::Inherit:
      return {};
    case Stdio::Null:
      ::posix_spawn_file_actions_addopen(actions.get(), target, "/dev/null",
                                         child_reads ? O_RDONLY : O_WRONLY, 0);
      return {};
    case Stdio::Pipe: {
      auto [read_end, write_end] = make_pipe();
      UniqueFd& child_end = child_reads ? read_end : write_end;
      ::posix_spawn_file_actions_adddup2(actions.get(), child_end.get(), target);
      child_ends.push_back(std::move(child_end));
      return child_reads ? std::move(write_end) : std::move(read_end);
    }
  }
  return {};
}

std::vector<std::string> merged_environment(const Command& command) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq != std::string_view::npos) vars[std::string(text.substr(0, eq))] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : command.env)
    vars[key] = value;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [key, value] : vars)
    out.push_back(key + "=" + value);
  return out;
}

ExitStatus decode(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) status.code = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
  return status;
}

}  // namespace

std::string ExitStatus::describe() const {
  if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  return "exit code " + std::to_string(code);
}

std::string display(const Command& command) {
  std::string out;
  for (const auto& arg : command.argv) {
    if (!out.empty()) out += ' ';
    bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    out += plain ? arg : "'" + arg + "'";
  }
  return out;
}

Child spawn(const Command& command, const SpawnOptions& options) {
  ignore_sigpipe_once();
  if (command.argv.empty()) throw Error(ErrorKind::Failure, "spawn: empty command");

  SpawnActions actions;
  std::vector<UniqueFd> child_ends;  // closed in the parent once the child has them
  UniqueFd in = wire(actions, options.in, STDIN_FILENO, true, child_ends);
  UniqueFd out = wire(actions, options.out, STDOUT_FILENO, false, child_ends);
  UniqueFd err = wire(actions, options.err, STDERR_FILENO, false, child_ends);
  if (!command.cwd.empty()) ::posix_spawn_file_actions_addchdir_np(actions.get(), command.cwd.c_str());

  SpawnAttributes attributes;
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  ::posix_spawnattr_setsigdefault(attributes.get(), &defaults);
  sigset_t none;
  sigemptyset(&none);
  ::posix_spawnattr_setsigmask(attributes.get(), &none);
  ::posix_spawnattr_setflags(attributes.get(), POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const auto& arg : command.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = merged_environment(command);
  std::vector<char*> envp;
  for (auto& entry : env_storage)
    envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, argv[0], actions.get(), attributes.get(), argv.data(), envp.data());
  if (rc != 0) {
    std::string reason = rc == ENOENT ? "not found on PATH" : errno_text(rc);
    throw Error(ErrorKind::ExternalTool, "cannot run " + command.argv[0] + ": " + reason,
                "install it (scripts/bootstrap installs the PostgreSQL 15 client tools) or fix PATH");
  }
  return Child(pid, std::move(in), std::move(out), std::move(err));
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_(std::move(other.in_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)) {}

Child::~Child() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
}

ExitStatus Child::wait() {
  in_.reset();  // a child reading stdin to its end must see EOF
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0) {
    if (errno != EINTR) throw Error(ErrorKind::Failure, "waitpid: " + errno_text(errno));
  }
  pid_ = -1;
  return decode(raw);
}

std::optional<ExitStatus> Child::try_wait() {
  int raw = 0;
  pid_t done = ::waitpid(pid_, &raw, WNOHANG);
  if (done == 0) return std::nullopt;
  if (done < 0) throw Error(ErrorKind::Failure, "waitpid: " + errno_text(errno));
  pid_ = -1;
  return decode(raw);
}

void Child::kill(int signal) noexcept {
  if (pid_ > 0) ::kill(pid_, signal);
}

RunResult run(const Command& command, const RunOptions& options) {
  Child child = spawn(command, {.in = Stdio::Pipe, .out = Stdio::Pipe, .err = Stdio::Pipe});
  RunResult result;
  std::string_view pending = options.input;
  if (pending.empty()) {
    child.stdin_pipe().reset();
  } else {
    // Non-blocking, so a large input never blocks us while the child is
    // itself blocked writing output we have not read yet.
    ::fcntl(child.stdin_pipe().get(), F_SETFL, O_NONBLOCK);
  }

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + options.timeout;
  std::array<char, 65536> buffer{};
  while (child.stdin_pipe().valid() || child.stdout_pipe().valid() || child.stderr_pipe().valid()) {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    auto add = [&](UniqueFd& fd, short events) {
      if (fd.valid()) fds[count++] = pollfd{fd.get(), events, 0};
    };
    add(child.stdin_pipe(), POLLOUT);
    add(child.stdout_pipe(), POLLIN);
    add(child.stderr_pipe(), POLLIN);

    int wait_ms = -1;
    if (options.timeout.count() > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        child.kill(SIGKILL);
        (void)child.wait();
        throw Error(ErrorKind::ExternalTool, command.argv[0] + " did not finish within " +
                                                 std::to_string(options.timeout.count()) +
                                                 " ms and was killed");
      }
      wait_ms = static_cast<int>(left.count());
    }
    if (::poll(fds.data(), count, wait_ms) < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::Failure, "poll: " + errno_text(errno));
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == child.stdin_pipe().get()) {
        ssize_t written = ::write(fds[i].fd, pending.data(), pending.size());
        if (written < 0 && errno != EINTR && errno != EAGAIN) {
          child.stdin_pipe().reset();  // EPIPE: the child stopped reading
        } else if (written > 0) {
          pending.remove_prefix(static_cast<std::size_t>(written));
          if (pending.empty()) child.stdin_pipe().reset();
        }
        continue;
      }
      bool is_out = fds[i].fd == child.stdout_pipe().get();
      ssize_t got = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (got > 0) {
        (is_out ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        (is_out ? child.stdout_pipe() : child.stderr_pipe()).reset();
      }
    }
  }
  result.status = child.wait();
  return result;
}

int terminate_tool_children() {
  const pid_t self = ::getpid();
  int signalled = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so parse from the last ')'.
    std::size_t open = line.find('(');
    std::size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string comm = line.substr(open + 1, close - open - 1);
    char state = 0;
    long parent = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &parent) != 2 || parent != self) continue;
    if (comm != "pg_dump" && comm != "pg_restore" && comm != "psql") continue;
    if (::kill(static_cast<pid_t>(std::stol(name)), SIGTERM) == 0) ++signalled;
  }
  return signalled;
}

}  // namespace soulstone::pg
