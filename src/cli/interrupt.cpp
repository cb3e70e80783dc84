#include "cli/interrupt.hpp"

#include <pthread.h>

#include <cstdlib>
#include <ctime>

#include "pg/subprocess.hpp"

namespace soulstone::cli {

StopOnSignal::StopOnSignal() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  // Threads inherit the mask: block before any is started (the watcher included).
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_mask_);
  watcher_ = std::thread([this] { watch(); });
}

StopOnSignal::~StopOnSignal() {
  done_ = true;
  watcher_.join();
  // A signal that came after the watcher's last look still counts; take it
  // so that unblocking does not kill the process on its way out.
  const timespec now{0, 0};
  while (sigtimedwait(&signals_, nullptr, &now) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

const char* StopOnSignal::received_name() const noexcept {
  switch (received_.load()) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "";
  }
}

void StopOnSignal::watch() {
  // Polls so that the destructor can end the thread without a signal of its own.
  const timespec tick{0, 100'000'000};
  while (!done_) {
    int signal = sigtimedwait(&signals_, nullptr, &tick);
    if (signal <= 0) continue;  // EAGAIN (the tick) or EINTR
    if (received_.exchange(signal) != 0) std::_Exit(128 + signal);
    stop_.request_stop();
    (void)pg::terminate_tool_children();
  }
}

}  // namespace soulstone::cli
