#include "s3rver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "base/unique_fd.hpp"
#include "pg/embedded.hpp"

namespace soulstone::testing {

namespace {

// Debian's awscli, not whatever `aws` comes first on PATH (a pip-installed
// one may shadow it): the independent client the tests trust.
constexpr const char* kDebianAws = "/usr/bin/aws";

std::filesystem::path s3rver_script() {
  auto path = std::filesystem::path(SOULSTONE_SOURCE_DIR) / ".deps/npm/node_modules/s3rver/bin/s3rver.js";
  if (!std::filesystem::exists(path))
    throw std::runtime_error(path.string() + " is missing: run scripts/bootstrap (it installs s3rver)");
  return path;
}

bool accepts_connections(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

}  // namespace

S3rver::S3rver(std::string bucket, std::string service_endpoint)
    : bucket_(std::move(bucket)),
      service_endpoint_(std::move(service_endpoint)),
      folder_("soulstone-test-s3-") {
  port_ = pg::find_free_port();
  launch(true);
}

void S3rver::launch(bool configure_bucket) {
  // s3rver's continuation tokens use DES, which OpenSSL 3 only offers in its
  // legacy provider: without it every truncated listing fails with a 500.
  pg::Command command{.argv = {"node", "--openssl-legacy-provider", s3rver_script().string(), "--directory",
                               folder_.path().string(), "--address", "127.0.0.1", "--port",
                               std::to_string(port_), "--silent"}};
  if (configure_bucket) command.argv.insert(command.argv.end(), {"--configure-bucket", bucket_});
  if (!service_endpoint_.empty())
    command.argv.insert(command.argv.end(), {"--service-endpoint", service_endpoint_});
  process_ = std::make_unique<pg::Child>(
      pg::spawn(command, {.in = pg::Stdio::Null, .out = pg::Stdio::Null, .err = pg::Stdio::Null}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!accepts_connections(port_)) {
    if (auto exited = process_->try_wait()) {
      process_.reset();
      throw std::runtime_error("s3rver exited at start-up (" + exited->describe() + ")");
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("s3rver did not start in 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void S3rver::restart() {
  if (!process_) launch(false);
}

S3rver::~S3rver() { stop(); }

void S3rver::stop() {
  if (!process_) return;
  process_->kill(SIGTERM);
  (void)process_->wait();
  process_.reset();
}

std::string S3rver::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::pair<std::string, std::string>> S3rver::client_env() const {
  return {{"AWS_ACCESS_KEY_ID", "S3RVER"},
          {"AWS_SECRET_ACCESS_KEY", "S3RVER"},
          {"AWS_DEFAULT_REGION", "us-east-1"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_EC2_METADATA_DISABLED", "true"},
          {"AWS_CONFIG_FILE", "/dev/null"},
          {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
}

pg::Command S3rver::aws(std::vector<std::string> args) const {
  pg::Command command{.argv = {kDebianAws, "--endpoint-url", endpoint()}, .env = client_env()};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  return command;
}

}  // namespace soulstone::testing
