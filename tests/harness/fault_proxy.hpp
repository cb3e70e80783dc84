#pragma once
// A fault-injecting HTTP/1.1 proxy in front of an S3 endpoint (s3rver), for
// the failure-path tests: a rule decides for every request whether it is
// forwarded or answered with a fault (500, 503 SlowDown, a reset connection,
// a response cut half-way, a 200 carrying an error). With a secret set, it
// also checks every request's SigV4 signature and payload hashes as S3 does
// (sigv4_check.hpp) and refuses bad ones with S3's 403/400 errors.
//
// Each connection carries one request (the proxy answers with
// "Connection: close"), so a fault never leaks into the next request.

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sigv4_check.hpp"

namespace soulstone::testing {

enum class Fault {
  Forward,           // no fault
  InternalError,     // 500 InternalError, not forwarded
  SlowDown,          // 503 SlowDown, not forwarded
  Reset,             // the connection is closed without a reply, not forwarded
  TruncateResponse,  // forwarded; the reply is cut half-way through its body
  ErrorIn200,        // 200 with an InternalError document, not forwarded
};

struct ProxyRecord {
  int sequence = 0;  // 1 for the first request
  std::string method;
  std::string target;
  Fault fault = Fault::Forward;
  std::map<std::string, std::string> headers;  // lower-case names
  std::size_t body_size = 0;
  int status = 0;         // what the client was sent (0: nothing)
  std::string rejection;  // the SigV4 check's error code, when it refused
};

class FaultProxy {
 public:
  using Rule = std::function<Fault(const ReceivedRequest&, int sequence)>;

  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  [[nodiscard]] std::string endpoint() const;  // http://127.0.0.1:PORT
  void set_rule(Rule rule);
  void check_signatures(std::string secret);  // "" turns the check off
  [[nodiscard]] std::vector<ProxyRecord> records() const;

 private:
  void accept_loop();
  void serve(int fd);

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  Rule rule_;
  std::string secret_;
  int requests_ = 0;
  std::vector<ProxyRecord> records_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace soulstone::testing
