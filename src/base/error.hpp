#pragma once
// The error policy of soulstone, written once.
//
// * Expected outcomes that a caller branches on (a server that is not
//   running, a lock that is held) are returned as values ([[nodiscard]]).
// * Everything that aborts a command is thrown as soulstone::Error. Its kind
//   maps to the process exit code through one table (exit_code_for) and it
//   carries an operator hint. The CLI catches it exactly once, in main().
//
// Messages never contain secrets: callers pass URLs through pg::redact
// before they are formatted into an Error.

#include <stdexcept>
#include <string>
#include <string_view>

namespace soulstone {

// Stable kinds; their exit codes are part of the public contract and are
// documented in docs/operations.md ("Exit codes").
enum class ErrorKind {
  Failure,       // 1: a check failed or an operation did not complete
  Usage,         // 2: bad command line
  Input,         // 3: bad input file or configuration (schema, URL, toml)
  Database,      // 4: the database refused or could not be reached
  ExternalTool,  // 5: pg_dump, pg_restore, initdb, pg_ctl failed or missing
  Storage,       // 6: the backup store failed
  Refused,       // 7: a safety guard refused (production mark, missing --force)
  Interrupted,   // 130: SIGINT/SIGTERM stopped the work, which unwound cleanly
};

[[nodiscard]] int exit_code_for(ErrorKind kind) noexcept;
[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string hint = {})
      : std::runtime_error(std::move(message)), kind_(kind), hint_(std::move(hint)) {}

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  // What the operator can do about it; empty when there is nothing to add.
  [[nodiscard]] const std::string& hint() const noexcept { return hint_; }

 private:
  ErrorKind kind_;
  std::string hint_;
};

// The errno text, for messages about system calls.
[[nodiscard]] std::string errno_text(int err);

}  // namespace soulstone
