#pragma once
// Runs one command as a child and measures it: wall time, exit, and the
// child's own peak RSS (posix_spawn + wait4, so nothing else this process
// started counts towards it).

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

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

inline MeasuredChild run_measured(const pg::Command& command) {
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e)
    env_text.emplace_back(*e);
  for (const auto& [name, value] : command.env)
    env_text.push_back(name + "=" + value);
  std::vector<char*> argv, envp;
  for (const std::string& arg : command.argv)
    argv.push_back(const_cast<char*>(arg.c_str()));
  for (const std::string& e : env_text)
    envp.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) return {};
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  return {.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0,
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          .peak_rss_kb = usage.ru_maxrss};
}

}  // namespace soulstone::bench
