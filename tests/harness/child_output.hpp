#pragma once
// Reading what a child started with pg::spawn writes on its stderr pipe, for
// tests that signal a running command and then check what it said.

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "pg/subprocess.hpp"

namespace soulstone::testing {

// Everything until the child closes its stderr (it exits).
inline std::string read_stderr_to_end(pg::Child& child) {
  std::string text;
  for (char buffer[4096];;) {
    ssize_t got = ::read(child.stderr_pipe().get(), buffer, sizeof buffer);
    if (got <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(got));
  }
}

// Reads stderr into `text` until it holds `marker`; false when the child
// closes stderr first or `timeout` passes.
inline bool read_stderr_until(pg::Child& child, const std::string& marker, std::string& text,
                              std::chrono::seconds timeout = std::chrono::seconds(120)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.find(marker) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd fd{child.stderr_pipe().get(), POLLIN, 0};
    if (::poll(&fd, 1, 1000) <= 0) continue;
    char buffer[4096];
    ssize_t got = ::read(child.stderr_pipe().get(), buffer, sizeof buffer);
    if (got <= 0) return false;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return true;
}

}  // namespace soulstone::testing
