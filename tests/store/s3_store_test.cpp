// The s3:// back end against s3rver, with the AWS CLI as the independent
// client, and behind the fault proxy, which checks every request's SigV4
// signature and payload hashes as S3 does (s3rver itself does not) and
// injects the faults S3 clients must survive.
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "fault_proxy.hpp"
#include "s3rver.hpp"
#include "store/s3_store.hpp"

namespace soulstone::store {
namespace {

using namespace std::chrono_literals;
using soulstone::testing::Fault;
using soulstone::testing::ReceivedRequest;

std::string random_bytes(std::size_t size, unsigned seed = 7) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char& c : out)
    c = static_cast<char>(random());
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::stringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

bool is_part_upload(const ReceivedRequest& request) {
  return request.method == "PUT" && request.target.find("partNumber=") != std::string::npos;
}

class S3StoreTest : public soulstone::testing::S3rverTest {
 protected:
  void SetUp() override {
    S3rverTest::SetUp();
    proxy_ = std::make_unique<soulstone::testing::FaultProxy>(s3_->port());
    proxy_->check_signatures("S3RVER");
  }
  void TearDown() override {
    if (expect_signatures_ok_)
      for (const auto& record : proxy_->records())
        EXPECT_EQ(record.rejection, "") << record.method << " " << record.target;
    proxy_.reset();
    S3rverTest::TearDown();
  }

  S3Config config() const {
    S3Config config;
    config.bucket = s3_->bucket();
    config.prefix = "nightly";
    config.endpoint = proxy_->endpoint();
    config.credentials = {"S3RVER", "S3RVER", ""};
    config.min_part_size = 64 * 1024;
    config.parallel_parts = 3;
    config.max_attempts = 4;
    config.backoff_base = 5ms;
    config.backoff_cap = 50ms;
    return config;
  }
  std::unique_ptr<ObjectStore> store(const S3Config& config) { return open_s3_store(config); }
  std::unique_ptr<ObjectStore> store() { return store(config()); }

  std::string aws_get(const std::string& key) {
    auto result = pg::run(s3_->aws({"s3", "cp", "s3://" + s3_->bucket() + "/" + key,
                                    (dir_.path() / "out").string(), "--only-show-errors"}));
    EXPECT_TRUE(result.status.ok()) << result.err;
    return read_file(dir_.path() / "out");
  }
  int count(const std::function<bool(const soulstone::testing::ProxyRecord&)>& match) const {
    int n = 0;
    for (const auto& record : proxy_->records())
      n += match(record) ? 1 : 0;
    return n;
  }

  TempDir dir_{"soulstone-test-s3store-"};
  std::unique_ptr<soulstone::testing::FaultProxy> proxy_;
  bool expect_signatures_ok_ = true;
};

TEST_F(S3StoreTest, ASmallObjectIsOnePutThatTheAwsCliReads) {
  auto s = store();
  put_string(*s, "soulstone-20261124-020000.manifest.json", "{\"id\": 1}");
  EXPECT_EQ(aws_get("nightly/soulstone-20261124-020000.manifest.json"), "{\"id\": 1}");
  EXPECT_EQ(count([](const auto& r) { return r.method == "PUT"; }), 1);
  EXPECT_EQ(count([](const auto& r) { return r.method == "POST"; }), 0);  // no multipart upload
  auto info = s->head("soulstone-20261124-020000.manifest.json");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 9u);
  EXPECT_LT(std::chrono::abs(info->modified - std::chrono::system_clock::now()), 5min);
}

TEST_F(S3StoreTest, AMultipartUploadInSmallPartsIsReadByTheAwsCli) {
  std::string payload = random_bytes(1500 * 1024 + 123);
  auto s = store();
  auto writer = s->put("big.dump.zst");
  for (std::size_t at = 0; at < payload.size(); at += 7777)
    writer->write(std::string_view(payload).substr(at, 7777));
  ObjectInfo info = writer->commit();
  EXPECT_EQ(info.size, payload.size());
  EXPECT_EQ(info.key, "big.dump.zst");
  EXPECT_EQ(aws_get("nightly/big.dump.zst"), payload);
  EXPECT_EQ(get_string(*s, "big.dump.zst"), payload);
  // 64 KiB parts: 24 of them, each with its Content-MD5.
  EXPECT_EQ(count([](const auto& r) { return r.method == "PUT" && r.headers.count("content-md5"); }), 24);
  EXPECT_EQ(count([](const auto& r) { return r.method == "PUT" && r.body_size == 64 * 1024; }), 23);
}

TEST_F(S3StoreTest, ObjectsTheAwsCliWritesAreReadByUs) {
  std::string payload = random_bytes(20 << 20, 11);  // above the CLI's 8 MiB multipart threshold
  std::ofstream(dir_.path() / "in", std::ios::binary) << payload;
  auto put = pg::run(s3_->aws({"s3", "cp", (dir_.path() / "in").string(),
                               "s3://" + s3_->bucket() + "/nightly/from-aws", "--only-show-errors"}));
  ASSERT_TRUE(put.status.ok()) << put.err;
  auto s = store();
  std::string back;
  int pieces = 0;
  s->get("from-aws", [&](std::string_view piece) {
    back.append(piece);
    ++pieces;
  });
  EXPECT_EQ(back, payload);
  EXPECT_GT(pieces, 1);  // streamed, not in one block
  EXPECT_EQ(s->head("from-aws")->size, payload.size());
  auto listed = s->list("");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "from-aws");
  EXPECT_EQ(listed[0].size, payload.size());
}

TEST_F(S3StoreTest, PartsGrowSoTheStreamFitsThePartLimit) {
  S3Config limited = config();
  limited.max_parts = 4;  // 64 + 128 + 256 + 512 KiB = 960 KiB at most
  auto s = store(limited);
  std::string payload = random_bytes(900 * 1024);
  auto writer = s->put("grown");
  writer->write(payload);
  (void)writer->commit();
  EXPECT_EQ(aws_get("nightly/grown"), payload);
  std::vector<std::size_t> sizes;
  for (const auto& r : proxy_->records())
    if (is_part_upload({r.method, r.target, {}, {}})) sizes.push_back(r.body_size);
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{64 * 1024, 128 * 1024, 256 * 1024, 452 * 1024}));

  // One byte more than fits: refused, nothing visible, the upload aborted.
  try {
    auto too_big = s->put("too-big");
    too_big->write(random_bytes(960 * 1024 + 1));
    (void)too_big->commit();
    FAIL() << "the part limit should have been hit";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    EXPECT_STREQ(error.what(), "the object s3://soulstone-test/nightly/too-big outgrew 4 parts (0 MiB)");
  }
  EXPECT_FALSE(s->head("too-big"));
  EXPECT_EQ(count([](const auto& r) {
              return r.method == "DELETE" && r.target.find("uploadId=") != std::string::npos;
            }),
            1);
}

TEST_F(S3StoreTest, ListingFollowsContinuationTokensToTheEnd) {
  S3Config paged = config();
  paged.page_size = 2;
  auto s = store(paged);
  std::vector<std::string> keys = {"a b.txt",     "deep/er/key",  "soulstone-1.dump.zst",
                                   "x&y=z+1.txt", "\xc3\xbc.txt", "soulstone-2.manifest.json",
                                   "~tilde"};
  for (const auto& key : keys)
    put_string(*s, key, key);
  // Outside the store's prefix: not ours to list.
  put_string(*store([&] {
    auto c = config();
    c.prefix = "other";
    return c;
  }()),
             "x", "x");
  auto listed = s->list("");
  std::vector<std::string> got;
  for (const auto& info : listed)
    got.push_back(info.key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(got, keys);
  EXPECT_EQ(count([](const auto& r) { return r.target.find("list-type=2") != std::string::npos; }),
            4);  // 7 keys, 2 a page
  for (const auto& key : keys)
    EXPECT_EQ(get_string(*s, key), key);
  auto deep = s->list("deep/");
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_EQ(deep[0].key, "deep/er/key");
}

TEST_F(S3StoreTest, AnUncommittedWriterAbortsItsUploadAndLeavesNothing) {
  auto s = store();
  {
    auto writer = s->put("half.dump.zst");
    writer->write(random_bytes(300 * 1024));  // four parts sent, one filling
  }
  EXPECT_TRUE(s->list("").empty());
  auto ls = pg::run(s3_->aws({"s3", "ls", "--recursive", "s3://" + s3_->bucket() + "/"}));
  EXPECT_EQ(ls.out, "");
  EXPECT_EQ(count([](const auto& r) {
              return r.method == "DELETE" && r.target.find("uploadId=") != std::string::npos;
            }),
            1);
}

TEST_F(S3StoreTest, MissingObjects) {
  auto s = store();
  EXPECT_EQ(s->head("nope"), std::nullopt);
  s->remove("nope");  // removing what is gone is not an error
  try {
    (void)get_string(*s, "nope");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    EXPECT_STREQ(error.what(),
                 "S3 download of s3://soulstone-test/nightly/nope failed: HTTP 404 NoSuchKey: The specified "
                 "key does not exist.");
  }
  put_string(*s, "k", "v");
  s->remove("k");
  EXPECT_EQ(s->head("k"), std::nullopt);
}

TEST_F(S3StoreTest, AWrongAccessKeyIsOneClearErrorWithoutRetries) {
  S3Config wrong = config();
  wrong.credentials = {"NOT-A-KEY", "S3RVER", ""};
  try {
    (void)store(wrong)->head("soulstone.lock");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    // Replies to HEAD carry no error document, so no S3 error code either.
    EXPECT_STREQ(error.what(),
                 "S3 lookup of s3://soulstone-test/nightly/soulstone.lock failed: HTTP 403 Forbidden");
    EXPECT_EQ(error.hint(),
              "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile "
              "AWS_PROFILE names) and "
              "that they may use this bucket");
  }
  try {
    (void)store(wrong)->list("");
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "S3 listing of s3://soulstone-test/nightly/ failed: HTTP 403 InvalidAccessKeyId: The AWS "
                 "Access Key Id you provided does not exist in our records.");
  }
  EXPECT_EQ(proxy_->records().size(), 2u);  // neither was retried
}

TEST_F(S3StoreTest, AWrongSecretFailsTheSignatureCheckAndIsNeverPrinted) {
  expect_signatures_ok_ = false;
  S3Config wrong = config();
  wrong.credentials = {"S3RVER", "not-the-secret-9f2c", ""};
  try {
    put_string(*store(wrong), "x", "y");
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "S3 upload of s3://soulstone-test/nightly/x failed: HTTP 403 SignatureDoesNotMatch: "
                 "injected by the test proxy");
    EXPECT_EQ(std::string(error.what()).find("not-the-secret"), std::string::npos);
  }
  EXPECT_EQ(proxy_->records().at(0).rejection, "SignatureDoesNotMatch");
}

TEST_F(S3StoreTest, IntermittentFailuresAreAbsorbedByRetries) {
  // Every other request fails the first time it is sent, in turn with a 500,
  // a 503 SlowDown and a reset connection; its retry goes through.
  std::mutex mutex;
  std::set<std::string> failed_once;
  proxy_->set_rule([&](const ReceivedRequest& request, int sequence) {
    std::lock_guard lock(mutex);
    if (sequence % 2 == 0 || !failed_once.insert(request.method + " " + request.target).second)
      return Fault::Forward;
    static constexpr Fault kFaults[] = {Fault::InternalError, Fault::SlowDown, Fault::Reset};
    return kFaults[failed_once.size() % 3];
  });
  std::string payload = random_bytes(1024 * 1024, 3);
  auto s = store();
  auto writer = s->put("flaky");
  writer->write(payload);
  (void)writer->commit();
  put_string(*s, "flaky.manifest.json", "{}");
  EXPECT_EQ(get_string(*s, "flaky"), payload);
  EXPECT_EQ(s->list("").size(), 2u);
  proxy_->set_rule({});
  EXPECT_EQ(aws_get("nightly/flaky"), payload);
  EXPECT_GE(count([](const auto& r) { return r.fault != Fault::Forward; }), 8);
}

TEST_F(S3StoreTest, ADownloadResumesWhereTheConnectionBroke) {
  std::string payload = random_bytes(2 << 20, 5);
  auto s = store();
  auto writer = s->put("resumed");
  writer->write(payload);
  (void)writer->commit();
  bool cut = false;
  proxy_->set_rule([&cut](const ReceivedRequest& request, int) {
    if (request.method != "GET" || cut) return Fault::Forward;
    cut = true;
    return Fault::TruncateResponse;
  });
  EXPECT_EQ(get_string(*s, "resumed"), payload);  // every byte exactly once
  auto records = proxy_->records();
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  const auto& retry = records.back();
  EXPECT_EQ(retry.method, "GET");
  EXPECT_EQ(retry.headers.at("range"), "bytes=" + std::to_string(payload.size() - payload.size() / 2) + "-");
  EXPECT_EQ(retry.headers.count("if-match"), 1u);
  EXPECT_EQ(retry.status, 206);
}

TEST_F(S3StoreTest, AnErrorInsideA200CompletionIsRetried) {
  int completions = 0;
  proxy_->set_rule([&completions](const ReceivedRequest& request, int) {
    bool completion = request.method == "POST" && request.target.find("uploadId=") != std::string::npos;
    return completion && completions++ == 0 ? Fault::ErrorIn200 : Fault::Forward;
  });
  std::string payload = random_bytes(200 * 1024);
  auto s = store();
  auto writer = s->put("completed");
  writer->write(payload);
  (void)writer->commit();
  EXPECT_EQ(completions, 2);
  EXPECT_EQ(aws_get("nightly/completed"), payload);
}

TEST_F(S3StoreTest, APersistentFailureGivesUpAbortsAndLeavesNothing) {
  proxy_->set_rule([](const ReceivedRequest& request, int) {
    return is_part_upload(request) && request.target.find("partNumber=3&") != std::string::npos
               ? Fault::InternalError
               : Fault::Forward;
  });
  auto s = store();
  try {
    auto writer = s->put("doomed");
    writer->write(random_bytes(1024 * 1024));
    (void)writer->commit();
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    EXPECT_STREQ(
        error.what(),
        "S3 upload of part 3 of s3://soulstone-test/nightly/doomed failed after 4 attempts: HTTP 500 "
        "InternalError: injected by the test proxy");
  }
  EXPECT_EQ(count([](const auto& r) { return r.target.find("partNumber=3&") != std::string::npos; }), 4);
  EXPECT_TRUE(s->list("").empty());
  EXPECT_EQ(count([](const auto& r) {
              return r.method == "DELETE" && r.target.find("uploadId=") != std::string::npos;
            }),
            1);
}

TEST_F(S3StoreTest, AStoppedServerFailsAfterTheRetries) {
  S3Config direct = config();
  direct.endpoint = s3_->endpoint();
  s3_->stop();
  auto started = std::chrono::steady_clock::now();
  try {
    (void)store(direct)->head("x");
    FAIL();
  } catch (const Error& error) {
    std::string prefix =
        "S3 lookup of s3://soulstone-test/nightly/x failed after 4 attempts: Failed to connect to 127.0.0.1 "
        "port " +
        std::to_string(s3_->port());
    EXPECT_EQ(std::string(error.what()).substr(0, prefix.size()), prefix) << error.what();
    EXPECT_EQ(error.hint(), "check that " + s3_->endpoint() +
                                " is reachable and the endpoint is right; every attempt failed");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(S3StoreTest, CredentialsComeFromAProfileFile) {
  std::ofstream(dir_.path() / "credentials")
      << "[default]\naws_access_key_id = WRONG\naws_secret_access_key = x\n"
      << "[backups]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n";
  std::map<std::string, std::string> vars = {
      {"AWS_SHARED_CREDENTIALS_FILE", (dir_.path() / "credentials").string()},
      {"AWS_CONFIG_FILE", (dir_.path() / "none").string()},
      {"AWS_PROFILE", "backups"},
      {"AWS_ENDPOINT_URL_S3", proxy_->endpoint()}};
  S3Config config =
      s3_config("s3://soulstone-test/p", {}, [&](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  auto s = open_s3_store(config);
  put_string(*s, "k", "from a profile");
  EXPECT_EQ(aws_get("p/k"), "from a profile");
}

TEST(S3VirtualHosted, BucketInTheHostName) {
  soulstone::testing::S3rver s3("soulstone-vhost", "localhost");
  S3Config config;
  config.bucket = "soulstone-vhost";
  config.prefix = "v";
  config.endpoint = "http://s3.localhost:" + std::to_string(s3.port());
  config.addressing = Addressing::VirtualHosted;
  config.credentials = {"S3RVER", "S3RVER", ""};
  auto store = open_s3_store(config);
  put_string(*store, "hello", "virtually");
  EXPECT_EQ(get_string(*store, "hello"), "virtually");
  ASSERT_EQ(store->list("").size(), 1u);
  // The path-style AWS CLI finds it in the right bucket.
  auto ls = pg::run(s3.aws({"s3", "ls", "s3://soulstone-vhost/v/"}));
  EXPECT_NE(ls.out.find(" 9 hello"), std::string::npos) << ls.out << ls.err;
}

}  // namespace
}  // namespace soulstone::store
