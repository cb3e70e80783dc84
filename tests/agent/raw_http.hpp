#pragma once
// A deliberately dumb HTTP client over a raw socket, for sending what no
// real client would: broken request lines, huge heads, bytes one at a time.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace soulstone::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  [[nodiscard]] bool has_header(std::string_view line) const { return head.find(line) != std::string::npos; }
};

class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { ::close(fd_); }

  // False when the peer has closed the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // One response (the body by Content-Length); nullopt on timeout or close.
  // `head_only`: the answer to a HEAD request (a Content-Length, no body).
  std::optional<RawResponse> response(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                      bool head_only = false) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(deadline)) return std::nullopt;
    RawResponse out;
    out.head = buffer_.substr(0, end + 2);
    std::size_t length = 0;
    std::size_t at = out.head.find("Content-Length: ");
    if (at != std::string::npos && !head_only) length = std::stoul(out.head.substr(at + 16));
    while (buffer_.size() < end + 4 + length)
      if (!fill(deadline)) return std::nullopt;
    out.body = buffer_.substr(end + 4, length);
    buffer_.erase(0, end + 4 + length);
    if (out.head.size() > 12) out.status = std::stoi(out.head.substr(9, 3));
    return out;
  }

  // True when the server closes the connection within `timeout`.
  bool closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fill(deadline)) {
    }
    return eof_;
  }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[4096];
    ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
      eof_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }
  int fd_;
  std::string buffer_;
  bool eof_ = false;
};

}  // namespace soulstone::testing
