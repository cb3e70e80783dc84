#include "agent/http_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace soulstone::agent::detail {

namespace {

using Clock = std::chrono::steady_clock;

// httplib's own limit on the request line (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH).
constexpr std::size_t kMaxRequestLine = 8192;

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

Connection::Connection(int socket, const HttpLimits& limits, const std::atomic<bool>& stopping)
    : socket_(socket), limits_(limits), stopping_(stopping) {}

bool Connection::wait(short events, Clock::time_point deadline) const {
  while (!stopping_.load()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd fd{socket_, events, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(std::min<long long>(left.count(), 100)));
    if (ready < 0 && errno != EINTR) return false;
    if (ready > 0) return (fd.revents & (events | POLLHUP | POLLERR)) != 0;
  }
  return false;
}

bool Connection::head_complete() const {
  std::string_view rest(pending_.data() + consumed_, pending_.size() - consumed_);
  return rest.find("\r\n\r\n") != std::string_view::npos || rest.find("\n\n") != std::string_view::npos;
}

Connection::Head Connection::read_head(bool first) {
  // Drop what httplib consumed; keep bytes of a pipelined next request.
  pending_.erase(0, consumed_);
  consumed_ = 0;
  auto deadline = Clock::now() + (first ? limits_.header_timeout : limits_.idle_timeout);
  bool started = !pending_.empty();
  if (started) deadline = Clock::now() + limits_.header_timeout;
  char buffer[4096];
  auto line_too_long = [&] {
    std::size_t newline = pending_.find('\n');
    return newline == std::string::npos ? pending_.size() > kMaxRequestLine : newline > kMaxRequestLine;
  };
  while (!head_complete()) {
    if (line_too_long()) return Head::LineTooLong;
    if (pending_.size() > limits_.max_header_bytes) return Head::TooLarge;
    if (!wait(POLLIN, deadline)) {
      if (stopping_.load()) return Head::Stopping;
      return started ? Head::TooSlow : Head::Idle;
    }
    ssize_t got = ::recv(socket_, buffer, sizeof buffer, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return Head::Closed;
    if (!started) {
      // The deadline covers the whole head from its first byte: a client
      // that trickles a byte at a time is cut off all the same.
      started = true;
      deadline = Clock::now() + limits_.header_timeout;
    }
    pending_.append(buffer, static_cast<std::size_t>(got));
  }
  std::string_view rest(pending_);
  std::size_t end = std::min(rest.find("\r\n\r\n"), rest.find("\n\n"));
  if (line_too_long()) return Head::LineTooLong;
  if (end > limits_.max_header_bytes) return Head::TooLarge;
  return Head::Ready;
}

bool Connection::is_readable() const {
  return consumed_ < pending_.size() || wait(POLLIN, Clock::now() + limits_.read_timeout);
}

bool Connection::is_writable() const { return wait(POLLOUT, Clock::now() + limits_.write_timeout); }

ssize_t Connection::read(char* ptr, size_t size) {
  if (consumed_ < pending_.size()) {
    std::size_t count = std::min(size, pending_.size() - consumed_);
    std::memcpy(ptr, pending_.data() + consumed_, count);
    consumed_ += count;
    return static_cast<ssize_t>(count);
  }
  // Past the head: a body, read straight from the socket.
  if (!wait(POLLIN, Clock::now() + limits_.read_timeout)) return -1;
  while (true) {
    ssize_t got = ::recv(socket_, ptr, size, 0);
    if (got < 0 && errno == EINTR) continue;
    return got;
  }
}

ssize_t Connection::write(const char* ptr, size_t size) {
  if (!wait(POLLOUT, Clock::now() + limits_.write_timeout)) return -1;
  while (true) {
    // MSG_NOSIGNAL: a client that went away must not kill the agent with SIGPIPE.
    ssize_t sent = ::send(socket_, ptr, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    return sent;
  }
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    address_of(address, ip, port);
}

}  // namespace soulstone::agent::detail
