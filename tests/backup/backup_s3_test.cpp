// Backups into s3:// (s3rver behind the SigV4-checking fault proxy): the
// round trip through tools that are not ours (aws s3 cp, zstd -d, pg_restore),
// and the faults of issue 6. In every failure: no manifest appears, the
// previous good backup stays the newest good one and `check` passes on it,
// and the next run succeeds.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "archive/pg_dump_stream.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "catalog/catalog.hpp"
#include "child_output.hpp"
#include "fault_proxy.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "postgres_env.hpp"
#include "s3rver.hpp"
#include "store/s3_store.hpp"

namespace soulstone::backup {
namespace {

using namespace std::chrono_literals;
using soulstone::testing::Fault;
using soulstone::testing::ReceivedRequest;

// A small commerce database with the value shapes a Prisma schema produces:
// quoted CamelCase tables, UUIDs, an enum, JSON, arrays, bytea, numerics,
// times, NULLs and awkward text, plus Prisma's migration history. `events`
// rows of random bytes make it big without making it slow to build (foreign
// keys are added after the rows, as a restore does).
pg::ConnInfo seeded_shop(int orders, int events = 1000) {
  pg::ConnInfo url = soulstone::testing::fresh_database("backup_s3");
  pg::Connection::open(url).exec(
      "CREATE TYPE \"OrderStatus\" AS ENUM ('PENDING', 'PAID', 'SHIPPED', 'CANCELLED');"
      "CREATE TABLE \"User\" (id uuid PRIMARY KEY, email text UNIQUE NOT NULL, name text, "
      " \"createdAt\" timestamptz NOT NULL, profile jsonb, avatar bytea);"
      "CREATE TABLE \"Product\" (id serial PRIMARY KEY, sku text UNIQUE NOT NULL, title text NOT NULL, "
      " price numeric(10,2) NOT NULL, tags text[], weight double precision);"
      "CREATE TABLE \"Order\" (id bigint PRIMARY KEY, \"userId\" uuid NOT NULL, status \"OrderStatus\" NOT "
      "NULL, "
      " total numeric(12,2), \"placedAt\" timestamptz, note text);"
      "CREATE TABLE \"OrderItem\" (\"orderId\" bigint, \"productId\" int, quantity int NOT NULL, "
      " PRIMARY KEY (\"orderId\", \"productId\"));"
      "CREATE TABLE \"Event\" (id bigint, payload bytea);"
      "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, "
      " finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at "
      "timestamptz, "
      " started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0);"
      "INSERT INTO _prisma_migrations VALUES ('0b0c5b1e-2c1e-4f61-9d6e-3f1f7c1f0a01', "
      " repeat('ab', 32), '2026-11-01 00:00:01+00', '20261101000000_init', NULL, NULL, '2026-11-01 "
      "00:00:00+00', 1);"
      "INSERT INTO \"User\" SELECT md5('u' || g)::uuid, 'user' || g || '@example.com', "
      " CASE WHEN g % 10 = 0 THEN NULL ELSE 'Zoë ' || g || E' \\\\ tab\\there' END, "
      " '2026-01-01 00:00:00+00'::timestamptz + g * interval '7 minutes', "
      " jsonb_build_object('tier', g % 4, 'tags', jsonb_build_array('a', g), 'bio', md5(g::text)), "
      " CASE WHEN g % 3 = 0 THEN decode(md5(g::text), 'hex') END FROM generate_series(1, 3000) g;"
      "INSERT INTO \"Product\" (sku, title, price, tags, weight) SELECT 'SKU-' || g, 'Product \"' || g || "
      "'\"', "
      " (g % 500) + 0.99, ARRAY['tag' || (g % 7), 'new'], g / 3.0 FROM generate_series(1, 500) g;"
      "INSERT INTO \"Order\" SELECT g, md5('u' || (1 + g % 3000))::uuid, "
      " (ARRAY['PENDING','PAID','SHIPPED','CANCELLED'])[1 + g % 4]::\"OrderStatus\", (g % 9973) * 0.37, "
      " '2026-02-01 00:00:00+00'::timestamptz + g * interval '13 seconds', "
      " CASE WHEN g % 5 = 0 THEN E'line one\\nline two ' || md5(g::text) END FROM generate_series(1, " +
      std::to_string(orders) +
      ") g;"
      "INSERT INTO \"OrderItem\" SELECT o, 1 + (o + k * 250) % 500, 1 + k FROM generate_series(1, " +
      std::to_string(orders) +
      ") o, generate_series(1, 2) k;"
      "INSERT INTO \"Event\" SELECT g, decode(md5(random()::text) || md5(random()::text) || "
      "md5(random()::text), 'hex')"
      " FROM generate_series(1, " +
      std::to_string(events) +
      ") g;"
      "ALTER TABLE \"Order\" ADD FOREIGN KEY (\"userId\") REFERENCES \"User\";"
      "ALTER TABLE \"OrderItem\" ADD FOREIGN KEY (\"orderId\") REFERENCES \"Order\","
      " ADD FOREIGN KEY (\"productId\") REFERENCES \"Product\";");
  return url;
}

// Every table's row count and a digest of its rows in a canonical order,
// computed by the server: an independent statement of "identical contents".
std::map<std::string, std::string> contents(const pg::ConnInfo& database) {
  auto db = pg::Connection::open(database);
  std::map<std::string, std::string> out;
  auto tables = db.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  for (int i = 0; i < tables.rows(); ++i) {
    std::string table = db.quote_identifier(tables.get(i, 0));
    auto row = db.exec(
        "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM " +
        table + " t");
    out[std::string(tables.get(i, 0))] = std::string(row.get(0, 0));
  }
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::stringstream text;
  text << std::ifstream(path, std::ios::binary).rdbuf();
  return text.str();
}

class BackupS3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    s3_ = std::make_unique<soulstone::testing::S3rver>();
    proxy_ = std::make_unique<soulstone::testing::FaultProxy>(s3_->port());
    proxy_->check_signatures("S3RVER");
    database_ = seeded_shop(5000);
  }
  void TearDown() override {
    for (const auto& record : proxy_->records())
      EXPECT_EQ(record.rejection, "") << record.method << " " << record.target;
  }

  store::S3Config config(const std::string& endpoint) const {
    store::S3Config config;
    config.bucket = s3_->bucket();
    config.prefix = "nightly";
    config.endpoint = endpoint;
    config.credentials = {"S3RVER", "S3RVER", ""};
    config.min_part_size = 64 * 1024;  // several parts even for small test databases
    config.parallel_parts = 3;
    config.max_attempts = 4;
    config.backoff_base = 5ms;
    config.backoff_cap = 50ms;
    return config;
  }
  std::unique_ptr<store::ObjectStore> store() { return store::open_s3_store(config(proxy_->endpoint())); }
  catalog::Catalog catalog() { return catalog::read_catalog(*store()); }

  // A first good backup, a second apart from the next one's name.
  archive::Manifest first_backup() {
    archive::Manifest manifest = run(*store(), database_, {});
    std::this_thread::sleep_for(1100ms);
    return manifest;
  }

  // True once a request after the first `from` ones uploads a part.
  bool wait_for_part_upload(std::size_t from) {
    for (int i = 0; i < 3000; ++i) {
      auto records = proxy_->records();
      for (std::size_t r = from; r < records.size(); ++r)
        if (records[r].method == "PUT" && records[r].target.find("partNumber=") != std::string::npos)
          return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  // Nothing good was lost: exactly the previous backup is listed (as good)
  // and checks out, and its two objects are all the bucket holds.
  void expect_only(const archive::Manifest& previous) {
    catalog::Catalog after = catalog();
    ASSERT_EQ(after.entries.size(), 1u);
    ASSERT_NE(after.latest_good(), nullptr);
    EXPECT_EQ(after.latest_good()->id, previous.id);
    CheckReport report = check_store(*store(), after, std::chrono::system_clock::now(), {}, std::nullopt);
    EXPECT_TRUE(report.ok) << report.reason;
    EXPECT_EQ(report.latest_id, previous.id);
    auto ls = pg::run(s3_->aws({"s3", "ls", "--recursive", "s3://" + s3_->bucket() + "/nightly/"}));
    std::set<std::string> keys;
    std::istringstream lines(ls.out);
    for (std::string line; std::getline(lines, line);)
      keys.insert(line.substr(line.rfind(' ') + 1));
    keys.erase("nightly/soulstone.lock");  // a killed process's lease; the next run takes it over
    EXPECT_EQ(keys, (std::set<std::string>{"nightly/" + previous.archive_key,
                                           "nightly/" + previous.id + ".manifest.json"}));
  }

  std::vector<std::pair<std::string, std::string>> cli_env(const pg::ConnInfo& database) const {
    auto env = s3_->client_env();
    env.emplace_back("DATABASE_URL", database.url());
    env.emplace_back("SOULSTONE_BACKUP_URL", "s3://" + s3_->bucket() + "/nightly");
    env.emplace_back("AWS_ENDPOINT_URL_S3", proxy_->endpoint());
    env.emplace_back("SOULSTONE_S3_MAX_ATTEMPTS", "3");
    return env;
  }

  TempDir dir_{"soulstone-test-backup-s3-"};
  std::unique_ptr<soulstone::testing::S3rver> s3_;
  std::unique_ptr<soulstone::testing::FaultProxy> proxy_;
  pg::ConnInfo database_;
};

TEST_F(BackupS3Test, RoundTripThroughTheAwsCliZstdAndPgRestore) {
  archive::Manifest manifest = run(*store(), database_, {});
  EXPECT_EQ(manifest.archive_key, manifest.id + ".dump.zst");
  ASSERT_EQ(manifest.migrations.size(), 1u);
  EXPECT_EQ(manifest.migrations[0].name, "20261101000000_init");
  // Several parts were uploaded.
  int parts = 0;
  for (const auto& r : proxy_->records())
    parts += r.method == "PUT" && r.target.find("partNumber=") != std::string::npos;
  EXPECT_GT(parts, 3);

  // The manual recipe of README.md, with nothing of ours.
  auto archive = dir_.path() / "backup.dump.zst";
  auto get = pg::run(s3_->aws({"s3", "cp", "s3://" + s3_->bucket() + "/nightly/" + manifest.archive_key,
                               archive.string(), "--only-show-errors"}));
  ASSERT_TRUE(get.status.ok()) << get.err;
  auto sha = pg::run({.argv = {"sha256sum", archive.string()}});
  EXPECT_EQ(sha.out.substr(0, 64), manifest.stored_sha256);
  auto unzstd =
      pg::run({.argv = {"zstd", "-d", "-q", archive.string(), "-o", (dir_.path() / "backup.dump").string()}});
  ASSERT_TRUE(unzstd.status.ok()) << unzstd.err;
  pg::ConnInfo target = soulstone::testing::fresh_database("backup_s3_restored");
  auto restore = pg::run({.argv = {pg::tool_path("pg_restore"), "--no-owner", "--exit-on-error",
                                   "--dbname=" + target.url(), (dir_.path() / "backup.dump").string()}});
  ASSERT_TRUE(restore.status.ok()) << restore.err;

  auto original = contents(database_);
  EXPECT_EQ(original.size(), 6u);
  EXPECT_EQ(contents(target), original);
  EXPECT_EQ(original["Order"].substr(0, 5), "5000 ");
  auto restored = archive::table_stats(target);  // and the manifest's own figures agree
  ASSERT_EQ(restored.size(), manifest.tables.size());
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_EQ(restored[i].rows, manifest.tables[i].rows);
    EXPECT_EQ(restored[i].fingerprint, manifest.tables[i].fingerprint);
  }
  EXPECT_TRUE(verify(*store(), *catalog().latest_good(), std::nullopt).ok());
}

TEST_F(BackupS3Test, PgDumpKilledMidStreamLeavesNoBackupBehind) {
  archive::Manifest previous = first_backup();
  database_ = seeded_shop(20000, 300000);  // a 25 MB dump
  bool killed = false;
  try {
    (void)run(*store(), database_, {.progress = [&killed](std::uint64_t bytes) {
      if (killed || bytes < (12u << 20)) return;  // zstd has emitted parts by then
      std::string pid = pg::run({.argv = {"pgrep", "-P", std::to_string(::getpid()), "-x", "pg_dump"}}).out;
      if (!pid.empty()) killed = ::kill(std::stoi(pid), SIGKILL) == 0;
    }});
    FAIL() << "the run should have failed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::ExternalTool);
    EXPECT_EQ(std::string(error.what()).rfind("pg_dump failed (killed by signal 9 (Killed))", 0), 0u)
        << error.what();
  }
  EXPECT_TRUE(killed);
  expect_only(previous);
  int aborted = 0;
  for (const auto& r : proxy_->records())
    aborted += r.method == "DELETE" && r.target.find("uploadId=") != std::string::npos;
  EXPECT_EQ(aborted, 1);  // the multipart upload was aborted
  EXPECT_EQ(run(*store(), database_, {}).rows_total(), previous.rows_total() + 15000 * 3 + 299000);
}

TEST_F(BackupS3Test, TheServerStoppedMidUploadLeavesNoBackupBehind) {
  archive::Manifest previous = first_backup();
  database_ = seeded_shop(20000, 300000);
  auto direct = store::open_s3_store(config(s3_->endpoint()));
  bool stopped = false;
  try {
    (void)run(*direct, database_, {.progress = [&](std::uint64_t bytes) {
      if (!stopped && bytes > (12u << 20)) {  // parts are on their way
        s3_->stop();
        stopped = true;
      }
    }});
    FAIL() << "the run should have failed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    std::regex expected(
        "S3 upload of part [0-9]+ of s3://soulstone-test/nightly/soulstone-[0-9]{8}-[0-9]{6}\\.dump\\.zst "
        "failed after 4 "
        "attempts: Failed to connect to 127\\.0\\.0\\.1 port [0-9]+ after [0-9]+ ms: Couldn't connect to "
        "server");
    EXPECT_TRUE(std::regex_match(std::string(error.what()), expected)) << error.what();
  }
  ASSERT_TRUE(stopped);
  s3_->restart();
  expect_only(previous);
  EXPECT_EQ(run(*store(), database_, {}).tables.size(), 6u);
}

TEST_F(BackupS3Test, IntermittentServerErrorsAreAbsorbedByRetries) {
  archive::Manifest previous = first_backup();
  std::mutex mutex;
  std::set<std::string> failed_once;
  proxy_->set_rule([&](const ReceivedRequest& request, int sequence) {
    std::lock_guard lock(mutex);
    if (sequence % 2 == 0 || !failed_once.insert(request.method + " " + request.target).second)
      return Fault::Forward;
    static constexpr Fault kFaults[] = {Fault::InternalError, Fault::SlowDown, Fault::Reset};
    return kFaults[failed_once.size() % 3];
  });
  archive::Manifest manifest = run(*store(), database_, {});
  int injected = 0;
  for (const auto& r : proxy_->records())
    injected += r.fault != Fault::Forward;
  EXPECT_GE(injected, 5);
  proxy_->set_rule({});
  catalog::Catalog after = catalog();
  ASSERT_EQ(after.entries.size(), 2u);
  EXPECT_EQ(after.latest_good()->id, manifest.id);
  EXPECT_TRUE(verify(*store(), *after.latest_good(), std::nullopt).ok());
  EXPECT_TRUE(verify(*store(), *after.find(previous.id), std::nullopt).ok());
  auto get = pg::run(s3_->aws({"s3", "cp", "s3://" + s3_->bucket() + "/nightly/" + manifest.archive_key,
                               (dir_.path() / "x").string(), "--only-show-errors"}));
  ASSERT_TRUE(get.status.ok()) << get.err;
  EXPECT_EQ(pg::run({.argv = {"sha256sum", (dir_.path() / "x").string()}}).out.substr(0, 64),
            manifest.stored_sha256);
}

TEST_F(BackupS3Test, AFlippedByteIsFlaggedByVerifyAndCheck) {
  archive::Manifest manifest = first_backup();
  // Damage the stored archive with the AWS CLI: down, flip, up again.
  std::string uri = "s3://" + s3_->bucket() + "/nightly/" + manifest.archive_key;
  auto file = dir_.path() / "damaged";
  ASSERT_TRUE(pg::run(s3_->aws({"s3", "cp", uri, file.string(), "--only-show-errors"})).status.ok());
  std::string bytes = read_file(file);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  ASSERT_TRUE(pg::run(s3_->aws({"s3", "cp", file.string(), uri, "--only-show-errors"})).status.ok());

  catalog::Catalog found = catalog();
  VerifyReport report = verify(*store(), *found.latest_good(), std::nullopt);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.back(), "the stored bytes' SHA-256 differs from the manifest's");
  CheckReport checked = check_store(*store(), found, std::chrono::system_clock::now(), {}, std::nullopt);
  EXPECT_FALSE(checked.ok);
  EXPECT_EQ(checked.reason.rfind("the newest good backup " + manifest.id + " is damaged: ", 0), 0u)
      << checked.reason;
  // The next run gives a good newest backup again.
  archive::Manifest next = run(*store(), database_, {});
  EXPECT_TRUE(check_store(*store(), catalog(), std::chrono::system_clock::now(), {}, std::nullopt).ok);
  EXPECT_EQ(catalog().latest_good()->id, next.id);
}

TEST_F(BackupS3Test, WrongCredentialsAreOneClearErrorAndChangeNothing) {
  archive::Manifest previous = first_backup();
  auto env = cli_env(database_);
  for (auto& [name, value] : env)
    if (name == "AWS_SECRET_ACCESS_KEY") value = "wrong-secret-5e1d";
  auto run = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env});
  EXPECT_EQ(run.status.code, 6);
  EXPECT_EQ(run.err,
            "soulstone: error: S3 lookup of s3://soulstone-test/nightly/soulstone.lock failed: HTTP 403 "
            "Forbidden (hint: "
            "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the profile AWS_PROFILE "
            "names) and "
            "that they may use this bucket)\n");
  EXPECT_EQ(run.err.find("wrong-secret"), std::string::npos);
  int refused = 0;
  for (const auto& r : proxy_->records())
    refused += !r.rejection.empty();
  EXPECT_EQ(refused, 1);  // one request, not retried
  // TearDown's signature check would count the refused request: drop it.
  proxy_ = std::make_unique<soulstone::testing::FaultProxy>(s3_->port());
  proxy_->check_signatures("S3RVER");

  auto check = pg::run({.argv = {SOULSTONE_BINARY, "--json", "backup", "check"}, .env = cli_env(database_)});
  EXPECT_EQ(check.status.code, 0) << check.err;
  EXPECT_EQ(nlohmann::json::parse(check.out)["latest"], previous.id);
  auto next = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = cli_env(database_)});
  EXPECT_EQ(next.status.code, 0) << next.err;
}

TEST_F(BackupS3Test, KilledMidUploadLeavesTheStoreAsItWas) {
  archive::Manifest previous = first_backup();
  auto env = cli_env(seeded_shop(20000, 600000));  // about 30 MB stored
  env.emplace_back("SOULSTONE_S3_PART_SIZE", "5MiB");
  const std::size_t before = proxy_->records().size();  // the first backup's requests are not this run's
  pg::Child child = pg::spawn({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env},
                              {.out = pg::Stdio::Null, .err = pg::Stdio::Null});
  // Wait until parts of this run are being uploaded, then stop it.
  ASSERT_TRUE(wait_for_part_upload(before));
  child.kill(SIGKILL);
  EXPECT_EQ(child.wait().signal, SIGKILL);

  expect_only(previous);
  auto list = pg::run({.argv = {SOULSTONE_BINARY, "--json", "backup", "list"}, .env = cli_env(database_)});
  auto backups = nlohmann::json::parse(list.out)["backups"];
  ASSERT_EQ(backups.size(), 1u);
  EXPECT_EQ(backups[0]["good"], true);
  // The dead run's lease is taken over and the next run succeeds.
  auto next = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = cli_env(database_)});
  EXPECT_EQ(next.status.code, 0) << next.err;
}

TEST_F(BackupS3Test, SigtermAbortsTheUploadAndReleasesTheLock) {
  archive::Manifest previous = first_backup();
  auto env = cli_env(seeded_shop(20000, 600000));  // about 30 MB stored
  env.emplace_back("SOULSTONE_S3_PART_SIZE", "5MiB");
  const std::size_t before = proxy_->records().size();  // the first backup's requests are not this run's
  pg::Child child = pg::spawn({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env},
                              {.out = pg::Stdio::Null, .err = pg::Stdio::Pipe});
  // Wait until parts of this run are being uploaded, then stop it.
  ASSERT_TRUE(wait_for_part_upload(before));
  child.kill(SIGTERM);
  std::string err = soulstone::testing::read_stderr_to_end(child);
  pg::ExitStatus status = child.wait();
  EXPECT_EQ(status.code, 130) << status.describe() << "\n" << err;
  EXPECT_EQ(
      err,
      "soulstone: error: backup stopped by SIGTERM: no manifest was written, so nothing counts as a new "
      "backup (hint: the upload was abandoned and the lock released; the previous backups are untouched)\n");

  expect_only(previous);
  int aborted = 0;
  for (const auto& r : proxy_->records())
    aborted += r.method == "DELETE" && r.target.find("uploadId=") != std::string::npos;
  EXPECT_EQ(aborted, 1);  // the multipart upload was aborted: no parts left to pay for
  auto lock = pg::run(s3_->aws({"s3", "ls", "s3://" + s3_->bucket() + "/nightly/soulstone.lock"}));
  EXPECT_EQ(lock.out, "") << "the lock was not released";
  auto next = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = cli_env(database_)});
  EXPECT_EQ(next.status.code, 0) << next.err;
}

TEST_F(BackupS3Test, PruneRunsOnlyAfterASuccessfulBackup) {
  // Sixty nightly backups, 40 to 99 days old.
  auto s = store();
  auto now = std::chrono::system_clock::now();
  for (int age = 40; age < 100; ++age) {
    archive::Manifest m;
    m.finished_at = m.started_at = now - std::chrono::days{age};
    m.id = catalog::backup_id(m.started_at);
    m.archive_key = catalog::archive_key(m.id, false);
    m.stored_size = 3;
    store::put_string(*s, m.archive_key, "zst");
    store::put_string(*s, catalog::manifest_key(m.id), archive::to_json(m));
  }
  std::vector<std::string> policy = {"--prune", "--daily", "45", "--monthly", "0", "--yearly", "0"};
  auto env = cli_env(database_);
  for (auto& [name, value] : env)
    if (name == "DATABASE_URL") value = database_.with_database("no_such_database").url();
  std::vector<std::string> argv = {SOULSTONE_BINARY, "--json", "backup", "run"};
  argv.insert(argv.end(), policy.begin(), policy.end());
  auto failed = pg::run({.argv = argv, .env = env});
  EXPECT_EQ(failed.status.code, 4) << failed.err;
  EXPECT_EQ(catalog().entries.size(), 60u);  // a failed run prunes nothing

  auto ok = pg::run({.argv = argv, .env = cli_env(database_)});
  ASSERT_EQ(ok.status.code, 0) << ok.err;
  auto document = nlohmann::json::parse(ok.out);
  // Counted back from the new backup: its day and the 44 before it, so of
  // the old ones only those 40 to 44 days old stay.
  std::vector<std::string> expected = {document["id"]};
  for (int age = 40; age <= 44; ++age)
    expected.push_back(catalog::backup_id(now - std::chrono::days{age}));
  std::vector<std::string> ids;
  for (const auto& entry : catalog().entries)
    ids.push_back(entry.id);
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(document["prune"]["deleted"].size(), 2u * 55);
}

}  // namespace
}  // namespace soulstone::backup
