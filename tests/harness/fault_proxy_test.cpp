// The fault proxy's SigV4 check agrees with an independent signer: the AWS
// CLI's requests pass it with the right secret and fail it with a wrong one.
#include "fault_proxy.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "base/temp_dir.hpp"
#include "s3rver.hpp"

namespace soulstone::testing {
namespace {

pg::Command through(const S3rver& s3, const FaultProxy& proxy, std::vector<std::string> args) {
  pg::Command command = s3.aws(std::move(args));
  command.argv.at(2) = proxy.endpoint();  // aws --endpoint-url <proxy> ...
  return command;
}

TEST_F(S3rverTest, TheAwsCliPassesTheSignatureCheck) {
  FaultProxy proxy(s3_->port());
  proxy.check_signatures("S3RVER");
  TempDir dir("soulstone-test-proxy-");
  std::ofstream(dir.path() / "small") << "small object";
  std::ofstream(dir.path() / "large") << std::string(10 << 20, 'x');  // multipart for the CLI
  for (const char* name : {"small", "large"}) {
    auto put = pg::run(through(*s3_, proxy,
                               {"s3", "cp", (dir.path() / name).string(),
                                "s3://" + s3_->bucket() + "/dir/" + name, "--only-show-errors"}));
    ASSERT_TRUE(put.status.ok()) << put.err;
  }
  auto ls = pg::run(through(*s3_, proxy, {"s3", "ls", "s3://" + s3_->bucket() + "/dir/"}));
  ASSERT_TRUE(ls.status.ok()) << ls.err;
  auto get = pg::run(through(*s3_, proxy,
                             {"s3", "cp", "s3://" + s3_->bucket() + "/dir/small",
                              (dir.path() / "back").string(), "--only-show-errors"}));
  ASSERT_TRUE(get.status.ok()) << get.err;
  auto records = proxy.records();
  EXPECT_GE(records.size(), 7u);  // put, create + 2 parts + complete, list, head + get
  for (const auto& record : records)
    EXPECT_EQ(record.rejection, "") << record.method << " " << record.target;
}

TEST_F(S3rverTest, AWrongSecretFailsTheSignatureCheck) {
  FaultProxy proxy(s3_->port());
  proxy.check_signatures("S3RVER");
  pg::Command command = through(*s3_, proxy, {"s3", "ls", "s3://" + s3_->bucket() + "/"});
  for (auto& [name, value] : command.env)
    if (name == "AWS_SECRET_ACCESS_KEY") value = "wrong";
  auto ls = pg::run(command);
  EXPECT_FALSE(ls.status.ok());
  EXPECT_NE(ls.err.find("SignatureDoesNotMatch"), std::string::npos) << ls.err;
  ASSERT_FALSE(proxy.records().empty());
  EXPECT_EQ(proxy.records().front().rejection, "SignatureDoesNotMatch");
}

}  // namespace
}  // namespace soulstone::testing
