#pragma once
// Child processes for the trusted PostgreSQL tools (initdb, pg_ctl, pg_dump,
// pg_restore): posix_spawn with an argv array, never a shell, with pipes for
// stdin/stdout/stderr.
//
// A Child that is destroyed while still running is killed (SIGKILL) and
// reaped, so no command leaves a stray process or zombie behind.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/unique_fd.hpp"

namespace soulstone::pg {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH
  // Set or override these variables; the rest of the environment is inherited.
  std::vector<std::pair<std::string, std::string>> env;
  std::filesystem::path cwd;  // empty: the current folder
};

enum class Stdio { Inherit, Null, Pipe };

struct SpawnOptions {
  Stdio in = Stdio::Null;
  Stdio out = Stdio::Pipe;
  Stdio err = Stdio::Pipe;
};

struct ExitStatus {
  int code = -1;   // exit code when the process exited
  int signal = 0;  // the signal that killed it, else 0
  [[nodiscard]] bool ok() const noexcept { return signal == 0 && code == 0; }
  [[nodiscard]] std::string describe() const;  // "exit code 3", "killed by signal 9 (Killed)"
};

class Child {
 public:
  Child(Child&& other) noexcept;
  Child& operator=(Child&&) = delete;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // The parent's ends of the pipes requested in SpawnOptions (else invalid).
  UniqueFd& stdin_pipe() noexcept { return in_; }
  UniqueFd& stdout_pipe() noexcept { return out_; }
  UniqueFd& stderr_pipe() noexcept { return err_; }

  ExitStatus wait();
  [[nodiscard]] std::optional<ExitStatus> try_wait();
  void kill(int signal) noexcept;

 private:
  friend Child spawn(const Command&, const SpawnOptions&);
  Child(pid_t pid, UniqueFd in, UniqueFd out, UniqueFd err) noexcept
      : pid_(pid), in_(std::move(in)), out_(std::move(out)), err_(std::move(err)) {}
  pid_t pid_ = -1;
  UniqueFd in_, out_, err_;
};

// Starts the command. Throws Error(ExternalTool) when it cannot be started,
// e.g. "cannot run pg_dump: not found on PATH".
[[nodiscard]] Child spawn(const Command& command, const SpawnOptions& options = {});

// Sends SIGTERM to the direct children of this process whose program is a
// PostgreSQL client tool (pg_dump, pg_restore, psql); returns how many. A
// stopped job or command uses it so that a tool blocked on a lock fails at
// once. Nothing else is touched (an agent running as PID 1 may have adopted
// unrelated orphans).
int terminate_tool_children();

struct RunResult {
  ExitStatus status;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::string_view input;                // written to the child's stdin, then closed
  std::chrono::milliseconds timeout{0};  // zero: no limit; on expiry SIGKILL + Error
};

// Runs to completion, feeding stdin and draining both output pipes at once
// (poll), so outputs of any size never deadlock.
[[nodiscard]] RunResult run(const Command& command, const RunOptions& options = {});

// The command line for messages: arguments joined by spaces, quoted when needed.
[[nodiscard]] std::string display(const Command& command);

}  // namespace soulstone::pg
