#include "archive/restore_sink.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

#include "base/error.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"

namespace soulstone::archive {

namespace {

pg::Command restore_command(const pg::ConnInfo& target, const RestoreOptions& options) {
  std::vector<std::string> args;
  if (options.clean) args.insert(args.end(), {"--clean", "--if-exists"});
  if (options.no_owner) args.push_back("--no-owner");
  if (options.exit_on_error) args.push_back("--exit-on-error");
  if (options.single_transaction) args.push_back("--single-transaction");
  if (options.jobs > 1) args.push_back("--jobs=" + std::to_string(options.jobs));
  pg::Command command = pg::client_tool("pg_restore", target, std::move(args));
  if (!options.session_settings.empty()) {
    // libpq reads PGOPTIONS at every connection, so each parallel job's
    // session gets the settings too. Whatever the operator set comes first;
    // ours are appended and win.
    std::string text;
    if (const char* inherited = std::getenv("PGOPTIONS")) text = inherited;
    for (const auto& [name, value] : options.session_settings)
      text += (text.empty() ? "" : " ") + std::string("-c ") + name + "=" + value;
    command.env.emplace_back("PGOPTIONS", text);
  }
  return command;
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

}  // namespace

struct RestoreSink::State {
  pg::Child child;
  std::string errors;
  std::thread error_reader;  // drains stderr so pg_restore never blocks on it
  bool finished = false;
  bool single_transaction = false;

  State(pg::Child spawned, bool one_transaction)
      : child(std::move(spawned)), single_transaction(one_transaction) {
    error_reader = std::thread([this] {
      char buffer[4096];
      for (;;) {
        ssize_t got = ::read(child.stderr_pipe().get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return;
        errors.append(buffer, static_cast<std::size_t>(got));
      }
    });
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (!finished) child.kill(SIGKILL);
    if (error_reader.joinable()) error_reader.join();
  }

  [[noreturn]] void fail(const pg::ExitStatus& status) {
    if (error_reader.joinable()) error_reader.join();
    std::string text = trimmed(errors);
    throw Error(
        ErrorKind::ExternalTool, "pg_restore failed (" + status.describe() + "): " + pg::redact(text),
        single_transaction
            ? "it ran in one transaction, which was rolled back: the target is unchanged"
            : "the target may be partly restored: restore again with --clean, or drop and recreate it");
  }
};

RestoreSink::RestoreSink(const pg::ConnInfo& target, const RestoreOptions& options)
    : state_(std::make_unique<State>(
          pg::spawn(restore_command(target, options),
                    {.in = pg::Stdio::Pipe, .out = pg::Stdio::Null, .err = pg::Stdio::Pipe}),
          options.single_transaction)) {}

RestoreSink::~RestoreSink() = default;

void RestoreSink::write(std::string_view data) {
  int fd = state_->child.stdin_pipe().get();
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) {
      // pg_restore stopped reading: it failed; report why.
      state_->child.stdin_pipe().reset();
      state_->finished = true;
      state_->fail(state_->child.wait());
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

void RestoreSink::finish() {
  state_->child.stdin_pipe().reset();
  pg::ExitStatus status = state_->child.wait();
  state_->finished = true;
  if (state_->error_reader.joinable()) state_->error_reader.join();
  if (!status.ok()) state_->fail(status);
}

void restore_file(const std::string& file, const pg::ConnInfo& target, const RestoreOptions& options) {
  pg::Command command = restore_command(target, options);
  command.argv.push_back(file);
  pg::RunResult result = pg::run(command);
  if (!result.status.ok()) {
    throw Error(ErrorKind::ExternalTool,
                "pg_restore failed (" + result.status.describe() + "): " + pg::redact(trimmed(result.err)),
                "the target may be partly restored: restore again with --clean, or drop and recreate it");
  }
}

}  // namespace soulstone::archive
