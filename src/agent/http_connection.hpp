#pragma once
// Private to the agent's HTTP server: one accepted TCP connection as an
// httplib::Stream. It reads each request's head (request line and headers)
// itself, under a size limit and one deadline for the whole head, before
// httplib parses it; httplib 0.11's own reader has no deadline across reads
// and grows its line buffer without bound.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>

#include "agent/config.hpp"

namespace soulstone::agent::detail {

class Connection final : public httplib::Stream {
 public:
  Connection(int socket, const HttpLimits& limits, const std::atomic<bool>& stopping);

  enum class Head { Ready, Closed, Idle, TooLarge, LineTooLong, TooSlow, Stopping };
  // Buffers the next request's head. `first`: the connection's first
  // request (it may take header_timeout to start; later ones idle_timeout).
  [[nodiscard]] Head read_head(bool first);

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return socket_; }

 private:
  // Waits for `events` until `deadline`, waking every 100 ms to notice a
  // stop. False on expiry, stop or error.
  [[nodiscard]] bool wait(short events, std::chrono::steady_clock::time_point deadline) const;
  [[nodiscard]] bool head_complete() const;

  int socket_;
  const HttpLimits& limits_;
  const std::atomic<bool>& stopping_;
  std::string pending_;       // received, not yet handed to httplib
  std::size_t consumed_ = 0;  // of pending_
};

}  // namespace soulstone::agent::detail
