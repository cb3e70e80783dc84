#pragma once
// Runs one command (or a pipeline of them) as children and measures it: wall
// time, exit, and for one command the child's own peak RSS (posix_spawn +
// wait4, so nothing else this process started counts towards it).

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "pg/subprocess.hpp"

extern char** environ;

namespace soulstone::bench {

struct MeasuredChild {
  bool ok = false;  // started, and exited with 0
  double seconds = 0;
  long peak_rss_kb = 0;
};

// argv and envp for posix_spawnp: our environment plus the command's own.
class SpawnArguments {
 public:
  explicit SpawnArguments(const pg::Command& command) : args_(command.argv) {
    for (char** e = environ; *e != nullptr; ++e)
      env_.emplace_back(*e);
    for (const auto& [name, value] : command.env)
      env_.push_back(name + "=" + value);
    for (std::string& arg : args_)
      argv_.push_back(arg.data());
    for (std::string& e : env_)
      envp_.push_back(e.data());
    argv_.push_back(nullptr);
    envp_.push_back(nullptr);
  }
  [[nodiscard]] char* const* argv() const { return argv_.data(); }
  [[nodiscard]] char* const* envp() const { return envp_.data(); }

 private:
  std::vector<std::string> args_, env_;
  std::vector<char*> argv_, envp_;
};

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline MeasuredChild run_measured(const pg::Command& command) {
  SpawnArguments arguments(command);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, arguments.argv()[0], nullptr, nullptr, arguments.argv(), arguments.envp()) != 0)
    return {};
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  return {.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0,
          .seconds = seconds_since(start),
          .peak_rss_kb = usage.ru_maxrss};
}

// Runs `stages` as one pipeline, each stage's stdout feeding the next one's
// stdin (dup2 file actions, no shell), and waits for all of them: what
// `a | b | c` does in a shell. ok only when every stage exited with 0.
inline MeasuredChild run_pipeline(const std::vector<pg::Command>& stages) {
  auto start = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  bool ok = true;
  int upstream = -1;  // read end of the previous stage's stdout
  for (std::size_t i = 0; i < stages.size() && ok; ++i) {
    const bool last = i + 1 == stages.size();
    int pipe_fds[2] = {-1, -1};  // O_CLOEXEC: only the dup2'd copies survive exec
    if (!last && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      ok = false;
      break;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (upstream >= 0) posix_spawn_file_actions_adddup2(&actions, upstream, STDIN_FILENO);
    if (!last) posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    SpawnArguments arguments(stages[i]);
    pid_t pid = 0;
    ok = posix_spawnp(&pid, arguments.argv()[0], &actions, nullptr, arguments.argv(), arguments.envp()) == 0;
    posix_spawn_file_actions_destroy(&actions);
    if (ok) pids.push_back(pid);
    if (upstream >= 0) ::close(upstream);
    if (!last) ::close(pipe_fds[1]);
    upstream = last ? -1 : pipe_fds[0];
  }
  if (upstream >= 0) ::close(upstream);
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  return {.ok = ok, .seconds = seconds_since(start)};
}

}  // namespace soulstone::bench
