// The s3rver fixture is a real S3 endpoint: an independent client (aws)
// can put and get objects through it.
#include "s3rver.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/temp_dir.hpp"

namespace soulstone::testing {
namespace {

TEST_F(S3rverTest, AwsCliPutsAndGetsAnObject) {
  TempDir dir("soulstone-test-aws-");
  std::string payload;
  for (int i = 0; i < 100000; ++i)
    payload += "line " + std::to_string(i) + "\n";
  std::ofstream(dir.path() / "in.txt") << payload;

  auto put = pg::run(s3_->aws({"s3", "cp", (dir.path() / "in.txt").string(),
                               "s3://" + s3_->bucket() + "/backups/in.txt", "--only-show-errors"}));
  ASSERT_TRUE(put.status.ok()) << put.err;
  auto list =
      pg::run(s3_->aws({"s3api", "list-objects-v2", "--bucket", s3_->bucket(), "--prefix", "backups/"}));
  ASSERT_TRUE(list.status.ok()) << list.err;
  EXPECT_NE(list.out.find("\"Key\": \"backups/in.txt\""), std::string::npos) << list.out;

  auto get = pg::run(s3_->aws({"s3", "cp", "s3://" + s3_->bucket() + "/backups/in.txt",
                               (dir.path() / "out.txt").string(), "--only-show-errors"}));
  ASSERT_TRUE(get.status.ok()) << get.err;
  std::stringstream back;
  back << std::ifstream(dir.path() / "out.txt").rdbuf();
  EXPECT_EQ(back.str(), payload);
}

TEST_F(S3rverTest, EachFixtureStartsWithAnEmptyBucket) {
  auto list = pg::run(s3_->aws({"s3api", "list-objects-v2", "--bucket", s3_->bucket()}));
  ASSERT_TRUE(list.status.ok()) << list.err;
  EXPECT_EQ(list.out.find("\"Key\""), std::string::npos) << list.out;
}

TEST_F(S3rverTest, StoppedServerRefusesConnections) {
  s3_->stop();
  auto list = pg::run(
      s3_->aws({"s3api", "list-objects-v2", "--bucket", s3_->bucket(), "--cli-connect-timeout", "2"}));
  EXPECT_FALSE(list.status.ok());
  EXPECT_NE(list.err.find("Could not connect to the endpoint URL"), std::string::npos) << list.err;
}

}  // namespace
}  // namespace soulstone::testing
