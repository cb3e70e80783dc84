// soulstone restore against the throw-away cluster and a file:// store, both
// ways (streamed and staged), with the exact error of every refusal and of
// every damaged archive, and proof that the target was not touched.
#include "restore/restore.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/pg_dump_stream.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "postgres_env.hpp"

namespace soulstone::restore {
namespace {

using soulstone::testing::fresh_database;

pg::ConnInfo shop() {
  pg::ConnInfo url = fresh_database("restore_src");
  pg::Connection::open(url).exec(
      "CREATE TABLE customer (id bigint PRIMARY KEY, email text UNIQUE, joined timestamptz);"
      "CREATE TABLE purchase (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer, total "
      "numeric(12,2),"
      " items jsonb);"
      "CREATE INDEX purchase_customer ON purchase (customer_id);"
      "INSERT INTO customer SELECT g, 'user' || g || '@example.com', '2026-01-01'::timestamptz + g * "
      "interval '1 min'"
      " FROM generate_series(1, 3000) g;"
      "INSERT INTO purchase SELECT g, 1 + g % 3000, (g % 997) * 1.25, jsonb_build_object('sku', md5(g::text))"
      " FROM generate_series(1, 12000) g;");
  return url;
}

// A database of the cluster that does not exist yet.
pg::ConnInfo unborn(const std::string& name) {
  static int counter = 0;
  return soulstone::testing::postgres(name + "_" + std::to_string(::getpid()) + "_" +
                                      std::to_string(++counter));
}

bool database_exists(const pg::ConnInfo& url) {
  auto admin = pg::Connection::open(soulstone::testing::postgres());
  return admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {*url.get("dbname")}).rows() == 1;
}

std::string message_of(const std::function<void()>& action, ErrorKind expected_kind) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), expected_kind) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = shop();
    manifest_ = backup::run(*store_, source_, {.key = key_});
  }
  catalog::Entry entry() { return *catalog::read_catalog(*store_).find(manifest_.id); }
  Result restore_into(const pg::ConnInfo& target, Options options) {
    return restore(*store_, entry(), target, key_, options);
  }
  void expect_same_as_source(const pg::ConnInfo& target) {
    auto got = archive::table_stats(target);
    ASSERT_EQ(got.size(), manifest_.tables.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].name, manifest_.tables[i].name);
      EXPECT_EQ(got[i].rows, manifest_.tables[i].rows);
      EXPECT_EQ(got[i].fingerprint, manifest_.tables[i].fingerprint);
    }
  }
  // Flips one byte in the middle of the stored archive.
  void corrupt_archive() {
    auto path = dir_.path() / "store" / manifest_.archive_key;
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    auto middle = static_cast<std::streamoff>(manifest_.stored_size / 2);
    file.seekg(middle);
    char byte = 0;
    file.read(&byte, 1);
    byte ^= 0x10;
    file.seekp(middle);
    file.write(&byte, 1);
  }
  // Rewrites the manifest so one table's fingerprint no longer matches the
  // (intact) archive: only the end of the walk can notice.
  void falsify_manifest_fingerprint() {
    auto path = dir_.path() / "store" / catalog::manifest_key(manifest_.id);
    nlohmann::json document = nlohmann::json::parse(std::ifstream(path));
    document["tables"][1]["fingerprint"] = "0123456789abcdef";
    std::ofstream(path, std::ios::trunc) << document.dump(2);
  }

  TempDir dir_{"soulstone-test-restore-"};
  std::unique_ptr<store::ObjectStore> store_ =
      store::open_store("file://" + (dir_.path() / "store").string());
  std::optional<archive::Key> key_;
  pg::ConnInfo source_;
  archive::Manifest manifest_;
};

TEST_F(RestoreTest, StreamedRestoreReproducesEveryTable) {
  pg::ConnInfo target = fresh_database("restore_to");
  Result result = restore_into(target, {});
  EXPECT_EQ(result.id, manifest_.id);
  EXPECT_EQ(result.jobs, 1);
  EXPECT_FALSE(result.created);
  EXPECT_EQ(result.dump_size, manifest_.dump_size);
  EXPECT_EQ(result.rows, 15000);
  expect_same_as_source(target);
  // Constraints and indexes came too: the foreign key holds and is enforced.
  auto db = pg::Connection::open(target);
  EXPECT_THROW(db.exec("INSERT INTO purchase VALUES (99999, 424242, 1, '{}')"), pg::DatabaseError);
  EXPECT_EQ(db.exec("SELECT 1 FROM pg_indexes WHERE indexname = 'purchase_customer'").rows(), 1);
}

TEST_F(RestoreTest, StagedRestoreUsesAPrivateFileAndRemovesIt) {
  TempDir staging("soulstone-test-staging-");
  pg::ConnInfo target = fresh_database("restore_jobs");
  bool seen = false;
  Result result = restore_into(
      target,
      {.jobs = 2, .staging_dir = staging.path(), .progress = [&](Phase phase, std::uint64_t, std::uint64_t) {
         if (phase != Phase::Staging || seen) return;
         for (auto& folder : std::filesystem::directory_iterator(staging.path())) {
           struct stat info {};
           ASSERT_EQ(::stat(folder.path().c_str(), &info), 0);
           EXPECT_EQ(info.st_mode & 0777, 0700u);
           for (auto& file : std::filesystem::directory_iterator(folder)) {
             ASSERT_EQ(::stat(file.path().c_str(), &info), 0);
             EXPECT_EQ(info.st_mode & 0777, 0600u);
             seen = true;
           }
         }
       }});
  EXPECT_TRUE(seen);
  EXPECT_EQ(result.jobs, 2);
  expect_same_as_source(target);
  EXPECT_TRUE(std::filesystem::is_empty(staging.path()));
}

TEST_F(RestoreTest, CreateMakesTheDatabase) {
  pg::ConnInfo target = unborn("restore_new");
  Result result = restore_into(target, {.create = true});
  EXPECT_TRUE(result.created);
  expect_same_as_source(target);
}

TEST_F(RestoreTest, AMissingDatabaseWithoutCreateIsNamed) {
  pg::ConnInfo target = unborn("restore_missing");
  EXPECT_EQ(message_of([&] { (void)restore_into(target, {}); }, ErrorKind::Input),
            "the target database " + target.redacted() + " does not exist");
  EXPECT_FALSE(database_exists(target));
}

TEST_F(RestoreTest, ANonEmptyTargetIsRefusedWithoutCleanAndReplacedWithIt) {
  pg::ConnInfo target = shop();
  pg::Connection::open(target).exec("DELETE FROM purchase WHERE id > 100");
  auto before = archive::table_stats(target);
  EXPECT_EQ(message_of([&] { (void)restore_into(target, {}); }, ErrorKind::Refused),
            "restore refused: " + target.redacted() + " already holds 2 table(s)");
  EXPECT_EQ(archive::table_stats(target)[1].rows, 100);

  Result result = restore_into(target, {.clean = true});
  EXPECT_TRUE(result.cleaned);
  expect_same_as_source(target);
}

TEST_F(RestoreTest, AProductionTargetIsRefusedUnlessOverridden) {
  pg::ConnInfo target = fresh_database("restore_prod");
  auto connection = pg::Connection::open(target);
  pg::write_mark(connection, pg::Environment::Production);
  EXPECT_EQ(message_of([&] { (void)restore_into(target, {}); }, ErrorKind::Refused),
            "restore refused: " + target.redacted() + " is marked production");
  EXPECT_TRUE(archive::table_stats(target).empty());
  (void)restore_into(target, {.production_override = true});
  expect_same_as_source(target);
}

TEST_F(RestoreTest, ACorruptArchiveIsRolledBackAndTheCleanTargetKeepsItsRows) {
  corrupt_archive();
  pg::ConnInfo target = shop();
  pg::Connection::open(target).exec("UPDATE customer SET email = 'kept-' || id");
  auto before = archive::table_stats(target);
  std::string message = message_of([&] { (void)restore_into(target, {.clean = true}); }, ErrorKind::Failure);
  EXPECT_EQ(message.rfind("backup " + manifest_.id + " failed verification: ", 0), 0u) << message;
  EXPECT_TRUE(message.ends_with("; nothing was committed: " + target.redacted() + " is unchanged"))
      << message;
  auto after = archive::table_stats(target);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_EQ(after[i].fingerprint, before[i].fingerprint) << after[i].name;
}

// Gives pg_restore time to finish and commit whatever it was given, once
// the last stored byte has been read: only the held-back tail stops it.
void linger_at_the_end(Phase, std::uint64_t done, std::uint64_t total) {
  if (done == total) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
}

TEST_F(RestoreTest, AManifestMismatchFoundOnlyAtTheEndStillCommitsNothing) {
  falsify_manifest_fingerprint();
  pg::ConnInfo target = fresh_database("restore_late");
  EXPECT_EQ(
      message_of([&] { (void)restore_into(target, {.progress = linger_at_the_end}); }, ErrorKind::Failure),
      "backup " + manifest_.id +
          " failed verification: table public.purchase differs from the manifest"
          "; nothing was committed: " +
          target.redacted() + " is unchanged");
  EXPECT_TRUE(archive::table_stats(target).empty());
}

TEST_F(RestoreTest, ACorruptArchiveNeverReachesAStagedTarget) {
  corrupt_archive();
  TempDir staging("soulstone-test-staging-");
  pg::ConnInfo target = fresh_database("restore_staged_bad");
  std::string message = message_of(
      [&] { (void)restore_into(target, {.jobs = 2, .staging_dir = staging.path()}); }, ErrorKind::Failure);
  EXPECT_EQ(message.rfind("backup " + manifest_.id + " failed verification: ", 0), 0u) << message;
  EXPECT_TRUE(message.ends_with("; nothing was restored: " + target.redacted() + " is unchanged")) << message;
  EXPECT_TRUE(archive::table_stats(target).empty());
  EXPECT_TRUE(std::filesystem::is_empty(staging.path()));
}

TEST_F(RestoreTest, ACorruptArchiveLeavesNoCreatedDatabase) {
  falsify_manifest_fingerprint();
  pg::ConnInfo target = unborn("restore_new_bad");
  EXPECT_EQ(message_of([&] { (void)restore_into(target, {.create = true, .progress = linger_at_the_end}); },
                       ErrorKind::Failure),
            "backup " + manifest_.id +
                " failed verification: table public.purchase differs from the manifest"
                "; nothing was restored: the database " +
                target.redacted() + " created for it was dropped again");
  EXPECT_FALSE(database_exists(target));
}

TEST_F(RestoreTest, ACutShortArchiveFailsBeforeTheTargetIsTouched) {
  auto path = dir_.path() / "store" / manifest_.archive_key;
  std::filesystem::resize_file(path, manifest_.stored_size - 100);
  pg::ConnInfo target = unborn("restore_cut");
  EXPECT_EQ(message_of([&] { (void)restore_into(target, {.create = true}); }, ErrorKind::Failure),
            "backup " + manifest_.id + " cannot be restored: the archive holds " +
                std::to_string(manifest_.stored_size - 100) + " bytes, the manifest says " +
                std::to_string(manifest_.stored_size));
  EXPECT_FALSE(database_exists(target));
}

class EncryptedRestoreTest : public RestoreTest {
 protected:
  void SetUp() override {
    key_ = archive::parse_key_hex(std::string(64, 'a'));
    RestoreTest::SetUp();
  }
};

TEST_F(EncryptedRestoreTest, NeedsTheRightKey) {
  pg::ConnInfo target = fresh_database("restore_enc");
  const std::string id = archive::key_id(*key_);
  EXPECT_EQ(
      message_of([&] { (void)restore(*store_, entry(), target, std::nullopt, {}); }, ErrorKind::Input),
      "backup " + manifest_.id + " is encrypted (key id " + id + ") and SOULSTONE_BACKUP_KEY is not set");
  auto wrong = archive::parse_key_hex(std::string(64, 'b'));
  EXPECT_EQ(message_of([&] { (void)restore(*store_, entry(), target, wrong, {}); }, ErrorKind::Input),
            "SOULSTONE_BACKUP_KEY (key id " + archive::key_id(wrong) + ") is not the key backup " +
                manifest_.id + " was written with (key id " + id + ")");
  EXPECT_TRUE(archive::table_stats(target).empty());
  (void)restore_into(target, {.jobs = 2});
  expect_same_as_source(target);
}

}  // namespace
}  // namespace soulstone::restore
