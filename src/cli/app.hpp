#pragma once
// The whole command line as a function, so tests can run it in-process.

#include <string>
#include <vector>

namespace soulstone::cli {

// Parses args (without the program name) and runs the command; returns the
// process exit code. Output goes to stdout/stderr.
int run(const std::vector<std::string>& args);

// Thrown by a command that finished its output and must exit with `code`
// without an error message (`migrate diff --exit-code` exits 2 on a difference).
struct ExitStatus {
  int code = 0;
};

}  // namespace soulstone::cli
