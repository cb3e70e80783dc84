#pragma once
// Progress of long work on a terminal: bytes, rate and elapsed time on one
// rewritten stderr line, at most a few times a second. Silent when stderr
// is not a terminal or --json is on, so logs and scripts stay clean.

#include <chrono>
#include <cstdint>
#include <string>

namespace soulstone::cli {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(std::uint64_t bytes);
  void done();  // clears the line

 private:
  std::string label_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

// "12.3 MiB", "980 B".
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

}  // namespace soulstone::cli
