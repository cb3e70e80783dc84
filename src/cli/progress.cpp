#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace soulstone::cli {

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char out[32];
  std::snprintf(out, sizeof out, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return out;
}

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && ::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { done(); }

void Progress::update(std::uint64_t bytes) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - started_).count();
  auto rate = static_cast<std::uint64_t>(seconds > 0 ? static_cast<double>(bytes) / seconds : 0);
  std::fprintf(stderr, "\r%s %s  %s/s  %dm%02ds ", label_.c_str(), human_bytes(bytes).c_str(),
               human_bytes(rate).c_str(), static_cast<int>(seconds) / 60, static_cast<int>(seconds) % 60);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::done() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace soulstone::cli
