// The pure pieces of the S3 back end: part sizes, retry decisions and
// back-off, the XML it reads, the AWS files and environment it is configured
// from.
#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "store/aws_profile.hpp"
#include "store/digest.hpp"
#include "store/part_plan.hpp"
#include "store/retry.hpp"
#include "store/s3_client.hpp"
#include "store/s3_store.hpp"
#include "store/xml.hpp"

namespace soulstone::store {
namespace {

constexpr std::uint64_t MiB = 1ull << 20;

TEST(PartPlan, PartsDoubleEveryTenthOfTheLimit) {
  PartPlan plan{.min_part_size = 8 * MiB, .max_parts = 10000};
  EXPECT_EQ(plan.size_of(1), 8 * MiB);
  EXPECT_EQ(plan.size_of(1000), 8 * MiB);
  EXPECT_EQ(plan.size_of(1001), 16 * MiB);
  EXPECT_EQ(plan.size_of(3001), 64 * MiB);
  EXPECT_EQ(plan.size_of(10000), 4096 * MiB);  // never above S3's 5 GiB per part
}

TEST(PartPlan, AnyObjectUpToS3sLimitFitsTenThousandParts) {
  PartPlan plan{.min_part_size = 8 * MiB, .max_parts = 10000};
  EXPECT_GE(plan.capacity(), 5ull << 40);  // 5 TiB, S3's largest object
  // 64 MiB parts (the biggest that keep memory small) reach past 100 GiB.
  std::uint64_t below_128 = 0;
  for (int n = 1; plan.size_of(n) <= 64 * MiB; ++n)
    below_128 += plan.size_of(n);
  EXPECT_GE(below_128, 100ull << 30);
}

TEST(PartPlan, AThousandPartLimitStillHoldsHundredsOfGigabytes) {
  PartPlan plan{.min_part_size = 8 * MiB, .max_parts = 1000};
  EXPECT_EQ(plan.size_of(100), 8 * MiB);
  EXPECT_EQ(plan.size_of(101), 16 * MiB);
  EXPECT_EQ(plan.capacity(), 8 * MiB * 100 * 1023);  // 100 parts of each of 10 doublings
}

TEST(PartPlan, TinyLimitsDoubleEveryPart) {
  PartPlan plan{.min_part_size = 64 * 1024, .max_parts = 4};
  EXPECT_EQ(plan.size_of(1), 64u * 1024);
  EXPECT_EQ(plan.size_of(2), 128u * 1024);
  EXPECT_EQ(plan.size_of(4), 512u * 1024);
  EXPECT_EQ(plan.capacity(), 960u * 1024);
}

TEST(PartPlan, PartsInFlightStayWithinTheMemoryBudget) {
  EXPECT_EQ(PartPlan::in_flight(8 * MiB, 96 * MiB, 4), 4);   // 5 buffers, 40 MiB
  EXPECT_EQ(PartPlan::in_flight(32 * MiB, 96 * MiB, 4), 2);  // 3 buffers, 96 MiB
  EXPECT_EQ(PartPlan::in_flight(64 * MiB, 96 * MiB, 4), 1);  // never below one
  EXPECT_EQ(PartPlan::in_flight(512 * MiB, 96 * MiB, 4), 1);
  EXPECT_EQ(PartPlan::in_flight(8 * MiB, 96 * MiB, 1), 1);
}

TEST(Retry, TransientFailuresAreRetriedOthersAreNot) {
  EXPECT_TRUE(should_retry({.status = 500}));
  EXPECT_TRUE(should_retry({.status = 503, .code = "SlowDown"}));
  EXPECT_TRUE(should_retry({.status = 429}));
  EXPECT_TRUE(should_retry({.status = 400, .code = "RequestTimeout"}));
  EXPECT_TRUE(should_retry({.status = 200, .code = "InternalError"}));  // in a CompleteMultipartUpload reply
  EXPECT_TRUE(should_retry({.transport_failed = true, .transport_transient = true}));
  EXPECT_FALSE(should_retry({.transport_failed = true, .transport_transient = false}));
  EXPECT_FALSE(should_retry({.status = 403, .code = "InvalidAccessKeyId"}));
  EXPECT_FALSE(should_retry({.status = 403, .code = "SignatureDoesNotMatch"}));
  EXPECT_FALSE(should_retry({.status = 404, .code = "NoSuchBucket"}));
}

TEST(Retry, BackOffGrowsExponentiallyWithFullJitterUpToTheCap) {
  Backoff backoff{.base = std::chrono::milliseconds(100), .cap = std::chrono::milliseconds(1000)};
  std::mt19937_64 random(42);
  for (int retry = 1; retry <= 8; ++retry) {
    long long bound = std::min(100LL << (retry - 1), 1000LL);
    long long highest = 0, lowest = bound;
    for (int i = 0; i < 2000; ++i) {
      long long delay = backoff.delay(retry, random).count();
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, bound);
      highest = std::max(highest, delay);
      lowest = std::min(lowest, delay);
    }
    // Jittered over the whole range, not clustered at the bound.
    EXPECT_GT(highest, bound * 9 / 10) << retry;
    EXPECT_LT(lowest, bound / 10) << retry;
  }
}

TEST(Xml, ReadsAListingPage) {
  std::string page =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a &amp; b/&lt;c&gt;&#x20AC;&#233;</Key><Size>12</Size></Contents>"
      "<Contents><Key>z</Key><Size>0</Size><LastModified>2026-11-24T02:00:42.000Z</LastModified></Contents>"
      "<NextContinuationToken>1/+x=</NextContinuationToken><Empty/></ListBucketResult>";
  auto contents = xml::elements(page, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(xml::text(contents[0], "Key"), "a & b/<c>\u20ac\u00e9");
  EXPECT_EQ(xml::text(contents[1], "Size"), "0");
  EXPECT_EQ(xml::text(page, "Key"), "a & b/<c>\u20ac\u00e9");  // not KeyCount
  EXPECT_EQ(xml::text(page, "IsTruncated"), "true");
  EXPECT_EQ(xml::text(page, "NextContinuationToken"), "1/+x=");
  EXPECT_EQ(xml::text(page, "Empty"), "");
  EXPECT_EQ(xml::text(page, "Missing"), std::nullopt);
  EXPECT_EQ(xml::escape("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
}

TEST(Xml, MalformedReferencesAreKeptAsWritten) {
  EXPECT_EQ(xml::text("<K>&#zz; &bogus; &</K>", "K"), "&#zz; &bogus; &");
}

TEST(Encoding, KeysAreEncodedAsSigV4Expects) {
  EXPECT_EQ(uri_encode("nightly/soulstone-20261124-020000.dump.zst", true),
            "nightly/soulstone-20261124-020000.dump.zst");
  EXPECT_EQ(uri_encode("a b+c/é~", true), "a%20b%2Bc/%C3%A9~");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
}

TEST(Digest, MultipartEtagIsTheMd5OfThePartMd5s) {
  // The value AWS gives an object uploaded as parts "a" and "b" (computed
  // with Python: md5(md5(b"a").digest() + md5(b"b").digest()).hexdigest()).
  EXPECT_EQ(multipart_etag({md5("a"), md5("b")}), "96e024ba2074fe77e8e965ba43a704be-2");
  EXPECT_EQ(to_base64(md5("").data(), 16), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(AwsProfiles, ReadsBothFilesNamingSchemes) {
  auto credentials = parse_profiles(
      "[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key=SKDEFAULT\n\n# comment\n[ci]\n"
      "aws_access_key_id=AKCI\naws_secret_access_key = SK/CI+=\naws_session_token = TOKEN\n",
      false);
  EXPECT_EQ(credentials["ci"]["aws_secret_access_key"], "SK/CI+=");
  EXPECT_EQ(credentials["default"]["aws_access_key_id"], "AKDEFAULT");
  auto config = parse_profiles(
      "[default]\nregion = eu-west-1\n[profile ci]\nregion=eu-central-1\ns3 =\n  addressing_style = path\n"
      "  max_concurrent_requests = 4\noutput = json\n[sso-session corp]\nregion = us-east-2\n",
      true);
  EXPECT_EQ(config["ci"]["region"], "eu-central-1");
  EXPECT_EQ(config["ci"]["s3.addressing_style"], "path");
  EXPECT_EQ(config["ci"]["output"], "json");
  EXPECT_EQ(config.count("corp"), 0u);
  EXPECT_EQ(config.count("sso-session corp"), 0u);
}

class S3ConfigTest : public ::testing::Test {
 protected:
  Getenv env() {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
  }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_.path() / name) << text; }

  TempDir dir_{"soulstone-test-aws-"};
  std::map<std::string, std::string> vars_{{"HOME", dir_.path().string()}};
};

TEST_F(S3ConfigTest, EnvironmentKeysEndpointAndRegion) {
  vars_ = {{"AWS_ACCESS_KEY_ID", "AK"},
           {"AWS_SECRET_ACCESS_KEY", "SK"},
           {"AWS_SESSION_TOKEN", "TOK"},
           {"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000/"},
           {"AWS_ENDPOINT_URL", "http://ignored:1"},
           {"AWS_DEFAULT_REGION", "eu-north-1"},
           {"SOULSTONE_S3_MAX_PARTS", "1000"},
           {"SOULSTONE_S3_PART_SIZE", "16MiB"}};
  S3Config config = s3_config("s3://shop-backups/nightly/", {}, env());
  EXPECT_EQ(config.bucket, "shop-backups");
  EXPECT_EQ(config.prefix, "nightly");
  EXPECT_EQ(config.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(config.region, "eu-north-1");
  EXPECT_EQ(config.credentials.access_key_id, "AK");
  EXPECT_EQ(config.credentials.session_token, "TOK");
  EXPECT_EQ(config.max_parts, 1000);
  EXPECT_EQ(config.min_part_size, 16 * MiB);
  EXPECT_EQ(s3_config("s3://shop-backups", {.endpoint = "https://r2.example.com"}, env()).endpoint,
            "https://r2.example.com");
  EXPECT_EQ(s3_config("s3://shop-backups", {}, env()).prefix, "");
}

TEST_F(S3ConfigTest, ANamedProfileWinsOverEnvironmentKeys) {
  write("credentials",
        "[default]\naws_access_key_id=AKD\naws_secret_access_key=SKD\n[ci]\naws_access_key_id=AKCI\n"
        "aws_secret_access_key=SKCI\n");
  write("config", "[profile ci]\nregion = ap-south-1\ns3 =\n  addressing_style = virtual\n");
  vars_["AWS_SHARED_CREDENTIALS_FILE"] = (dir_.path() / "credentials").string();
  vars_["AWS_CONFIG_FILE"] = (dir_.path() / "config").string();
  vars_["AWS_ACCESS_KEY_ID"] = "AKENV";
  vars_["AWS_SECRET_ACCESS_KEY"] = "SKENV";
  EXPECT_EQ(s3_config("s3://b-1/p", {}, env()).credentials.access_key_id, "AKENV");  // no profile named
  vars_["AWS_PROFILE"] = "ci";
  S3Config config = s3_config("s3://b-1/p", {}, env());
  EXPECT_EQ(config.credentials.access_key_id, "AKCI");
  EXPECT_EQ(config.credentials.secret_access_key, "SKCI");
  EXPECT_EQ(config.region, "ap-south-1");
  EXPECT_EQ(config.addressing, Addressing::VirtualHosted);
}

TEST_F(S3ConfigTest, TheDefaultProfileOfHomeIsTheFallback) {
  std::filesystem::create_directories(dir_.path() / ".aws");
  write(".aws/credentials", "[default]\naws_access_key_id=AKHOME\naws_secret_access_key=SKHOME\n");
  EXPECT_EQ(s3_config("s3://bucket", {}, env()).credentials.access_key_id, "AKHOME");
  EXPECT_EQ(s3_config("s3://bucket", {}, env()).region, "us-east-1");
}

TEST_F(S3ConfigTest, MistakesAreInputErrorsNamingTheFix) {
  auto error_of = [&](const std::string& url, const StoreOptions& options = {}) {
    try {
      (void)s3_config(url, options, env());
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Input);
      return std::string(error.what()) + " | " + error.hint();
    }
    return std::string("no error");
  };
  EXPECT_EQ(
      error_of("s3://bucket/p"),
      "no AWS credentials for s3://bucket/p | set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a "
      "profile of ~/.aws/credentials in AWS_PROFILE");
  vars_["AWS_ACCESS_KEY_ID"] = "AK";
  vars_["AWS_SECRET_ACCESS_KEY"] = "SK";
  EXPECT_EQ(error_of("s3://Bad_Bucket!/x"),
            "'s3://Bad_Bucket!/x' does not name a valid S3 bucket | write s3://bucket/prefix with a bucket "
            "of 3 to 63 "
            "lower-case letters, digits, '-' or '.'");
  EXPECT_EQ(
      error_of("s3://bucket", {.endpoint = "127.0.0.1:9000"}),
      "the S3 endpoint from --endpoint is not of the form http[s]://host[:port] | for example --endpoint "
      "http://127.0.0.1:9000");
  vars_["SOULSTONE_S3_PART_SIZE"] = "1MiB";
  EXPECT_EQ(error_of("s3://bucket"),
            "SOULSTONE_S3_PART_SIZE must be from 5MiB to 5GiB (S3's part limits) | ");
  vars_.erase("SOULSTONE_S3_PART_SIZE");
  vars_["AWS_PROFILE"] = "nope";
  EXPECT_NE(error_of("s3://bucket").find("the AWS profile 'nope' is not in "), std::string::npos);
}

TEST(OpenStore, S3UrlsOpenTheS3BackEnd) {
  ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  EXPECT_EQ(open_store("s3://shop-backups/nightly")->describe(), "s3://shop-backups/nightly");
}

}  // namespace
}  // namespace soulstone::store
