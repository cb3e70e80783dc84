#pragma once
// s3rver (npm) as a real S3 endpoint for tests: one process on a free
// loopback port with a fresh bucket, stopped when the owner goes away.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/temp_dir.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::testing {

class S3rver {
 public:
  // `service_endpoint` (e.g. "localhost") turns on virtual-hosted access:
  // http://<bucket>.s3.<service_endpoint>:PORT/key.
  explicit S3rver(std::string bucket = "soulstone-test", std::string service_endpoint = {});
  S3rver(const S3rver&) = delete;
  S3rver& operator=(const S3rver&) = delete;
  ~S3rver();

  [[nodiscard]] std::string endpoint() const;  // http://127.0.0.1:PORT
  [[nodiscard]] const std::string& bucket() const noexcept { return bucket_; }
  [[nodiscard]] int port() const noexcept { return port_; }

  // Credentials and region for clients (s3rver accepts S3RVER/S3RVER).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> client_env() const;

  // An `aws` command line against this endpoint: aws(...) -> aws --endpoint-url ... ARGS.
  [[nodiscard]] pg::Command aws(std::vector<std::string> args) const;

  // Stops the server now (for fault tests); the destructor then does nothing.
  void stop();
  // Starts a stopped server again on the same port, with the objects it held.
  void restart();

 private:
  void launch(bool configure_bucket);

  std::string bucket_;
  std::string service_endpoint_;
  TempDir folder_;
  int port_ = 0;
  std::unique_ptr<pg::Child> process_;
};

// A fixture with a fresh s3rver for every test.
class S3rverTest : public ::testing::Test {
 protected:
  void SetUp() override { s3_ = std::make_unique<S3rver>(); }
  void TearDown() override { s3_.reset(); }
  std::unique_ptr<S3rver> s3_;
};

}  // namespace soulstone::testing
