#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "base/unique_fd.hpp"

namespace soulstone::testing {

namespace {

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

// Reads until `buffer` holds `marker`; false on EOF or error first.
bool read_until(int fd, std::string& buffer, std::string_view marker) {
  char chunk[65536];
  while (buffer.find(marker) == std::string::npos) {
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
  }
  return true;
}

bool read_exactly(int fd, std::string& buffer, std::size_t size) {
  char chunk[65536];
  while (buffer.size() < size) {
    ssize_t got = ::recv(fd, chunk, std::min(sizeof chunk, size - buffer.size()), 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string error_reply(int status, const char* reason, const std::string& code) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                     "</Code><Message>injected by the test proxy</Message></Error>";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/xml\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

FaultProxy::FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("the fault proxy cannot listen");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_)
      ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& thread : threads_)
    thread.join();
}

std::string FaultProxy::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultProxy::set_rule(Rule rule) {
  std::lock_guard lock(mutex_);
  rule_ = std::move(rule);
}

void FaultProxy::check_signatures(std::string secret) {
  std::lock_guard lock(mutex_);
  secret_ = std::move(secret);
}

std::vector<ProxyRecord> FaultProxy::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

void FaultProxy::accept_loop() {
  while (!stopping_) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) return;
      continue;
    }
    std::lock_guard lock(mutex_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

void FaultProxy::serve(int fd) {
  UniqueFd client(fd);
  auto forget = [&] {
    std::lock_guard lock(mutex_);
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  };
  std::string buffer;
  if (!read_until(fd, buffer, "\r\n\r\n")) return forget();
  std::size_t head_end = buffer.find("\r\n\r\n");
  std::string head = buffer.substr(0, head_end);
  std::string body = buffer.substr(head_end + 4);

  ReceivedRequest request;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at <= head.size();) {
    std::size_t end = head.find("\r\n", at);
    if (end == std::string::npos) end = head.size();
    lines.push_back(head.substr(at, end - at));
    at = end + 2;
  }
  auto first_space = lines[0].find(' ');
  auto second_space = lines[0].find(' ', first_space + 1);
  request.method = lines[0].substr(0, first_space);
  request.target = lines[0].substr(first_space + 1, second_space - first_space - 1);
  std::string forwarded_head = lines[0] + "\r\n";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    std::string name = lower(lines[i].substr(0, colon));
    std::string value = lines[i].substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    request.headers[name] = value;
    if (name != "expect" && name != "connection") forwarded_head += lines[i] + "\r\n";
  }
  forwarded_head += "Connection: close\r\n\r\n";
  if (lower(request.headers["expect"]) == "100-continue" && body.empty())
    send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
  std::size_t length =
      request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  if (!read_exactly(fd, body, length)) return forget();
  request.body = body;

  ProxyRecord record{.method = request.method,
                     .target = request.target,
                     .headers = request.headers,
                     .body_size = request.body.size()};
  Rule rule;
  std::string secret;
  {
    std::lock_guard lock(mutex_);
    record.sequence = ++requests_;
    rule = rule_;
    secret = secret_;
  }
  if (!secret.empty()) record.rejection = check_sigv4(request, secret);
  // The reply is prepared and the request recorded before anything is sent,
  // so a client that got its answer always finds its request in records().
  std::string reply;
  if (!record.rejection.empty()) {
    bool forbidden = record.rejection == "SignatureDoesNotMatch" || record.rejection == "AccessDenied";
    record.status = forbidden ? 403 : 400;
    reply = error_reply(record.status, forbidden ? "Forbidden" : "Bad Request", record.rejection);
  } else {
    record.fault = rule ? rule(request, record.sequence) : Fault::Forward;
    switch (record.fault) {
      case Fault::InternalError:
        record.status = 500;
        reply = error_reply(500, "Internal Server Error", "InternalError");
        break;
      case Fault::SlowDown:
        record.status = 503;
        reply = error_reply(503, "Slow Down", "SlowDown");
        break;
      case Fault::ErrorIn200:
        record.status = 200;
        reply = error_reply(200, "OK", "InternalError");
        break;
      case Fault::Reset:
        break;
      case Fault::Forward:
      case Fault::TruncateResponse: {
        UniqueFd upstream(connect_loopback(upstream_port_));
        if (!upstream.valid()) break;  // the client sees a reset, as from a dead server
        send_all(upstream.get(), forwarded_head);
        send_all(upstream.get(), request.body);
        char chunk[65536];
        for (ssize_t got; (got = ::recv(upstream.get(), chunk, sizeof chunk, 0)) > 0;)
          reply.append(chunk, static_cast<std::size_t>(got));
        record.status = reply.size() > 12 ? std::atoi(reply.c_str() + 9) : 0;
        // Tell the client not to reuse the connection.
        auto line_end = reply.find("\r\n");
        if (line_end != std::string::npos) reply.insert(line_end + 2, "Connection: close\r\n");
        if (record.fault == Fault::TruncateResponse) {
          auto body_start = reply.find("\r\n\r\n");
          std::size_t body_size = body_start == std::string::npos ? 0 : reply.size() - body_start - 4;
          reply.resize(reply.size() - body_size / 2);
        }
        break;
      }
    }
  }
  {
    std::lock_guard lock(mutex_);
    records_.push_back(record);
  }
  send_all(fd, reply);
  forget();
}

}  // namespace soulstone::testing
