// backup run/verify/check/prune against the throw-away cluster and a file://
// store, including the failure paths: in each, no manifest appears, the
// previous good backup stays the newest good one, and the next run succeeds.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "archive/pg_dump_stream.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "catalog/catalog.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "postgres_env.hpp"
#include "store/store.hpp"

namespace soulstone::backup {
namespace {

using namespace std::chrono_literals;

pg::ConnInfo shop(int orders = 20000) {
  pg::ConnInfo url = soulstone::testing::fresh_database("backup");
  pg::Connection::open(url).exec(
      "CREATE TABLE customer (id bigint PRIMARY KEY, email text, joined timestamptz);"
      "CREATE TABLE purchase (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer, total "
      "numeric(12,2),"
      " items jsonb);"
      "INSERT INTO customer SELECT g, 'user' || g || '@example.com', '2026-01-01'::timestamptz + g * "
      "interval '1 min'"
      " FROM generate_series(1, 5000) g;"
      "INSERT INTO purchase SELECT g, 1 + g % 5000, (g % 997) * 1.25, jsonb_build_object('sku', md5(g::text))"
      " FROM generate_series(1, " +
      std::to_string(orders) + ") g;");
  return url;
}

// The pg_dump started by this process, if any (for killing it mid-stream).
pid_t child_pg_dump() {
  DIR* proc = ::opendir("/proc");
  pid_t found = 0;
  while (dirent* entry = ::readdir(proc)) {
    pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos || line.find("(pg_dump)") == std::string::npos) continue;
    int ppid = std::atoi(line.c_str() + close + 4);
    if (ppid == ::getpid()) found = pid;
  }
  ::closedir(proc);
  return found;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override { database_ = shop(); }
  catalog::Catalog catalog() { return catalog::read_catalog(*store_); }
  // A first good backup, a second apart from the next one's name.
  archive::Manifest first_backup() {
    archive::Manifest manifest = run(*store_, database_, {});
    std::this_thread::sleep_for(1100ms);
    return manifest;
  }

  TempDir dir_{"soulstone-test-backup-"};
  std::unique_ptr<store::ObjectStore> store_ =
      store::open_store("file://" + (dir_.path() / "store").string());
  pg::ConnInfo database_;
};

TEST_F(BackupTest, RunWritesAnArchiveThenAManifestThatVerifies) {
  archive::Manifest manifest = run(*store_, database_, {});
  auto listed = store_->list("");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, manifest.id + ".dump.zst");
  EXPECT_EQ(listed[1].key, manifest.id + ".manifest.json");
  EXPECT_EQ(manifest.rows_total(), 25000);
  // The manifest's table figures equal the live database's.
  auto live = archive::table_stats(database_);
  ASSERT_EQ(manifest.tables.size(), live.size());
  for (std::size_t i = 0; i < live.size(); ++i)
    EXPECT_EQ(manifest.tables[i].fingerprint, live[i].fingerprint);

  catalog::Catalog found = catalog();
  ASSERT_NE(found.latest_good(), nullptr);
  EXPECT_EQ(found.latest_good()->id, manifest.id);
  EXPECT_TRUE(verify(*store_, *found.latest_good(), std::nullopt).ok());
  EXPECT_TRUE(check_store(*store_, found, std::chrono::system_clock::now(), {}, std::nullopt).ok);
}

TEST_F(BackupTest, StockToolsRestoreTheStoredArchive) {
  archive::Manifest manifest = run(*store_, database_, {});
  auto path = dir_.path() / "store" / manifest.archive_key;
  auto unzstd =
      pg::run({.argv = {"zstd", "-d", "-q", path.string(), "-o", (dir_.path() / "x.dump").string()}});
  ASSERT_TRUE(unzstd.status.ok()) << unzstd.err;
  pg::ConnInfo target = soulstone::testing::fresh_database("backup_restored");
  auto restore = pg::run({.argv = {pg::tool_path("pg_restore"), "--no-owner", "--exit-on-error",
                                   "--dbname=" + target.url(), (dir_.path() / "x.dump").string()}});
  ASSERT_TRUE(restore.status.ok()) << restore.err;
  auto restored = archive::table_stats(target);
  ASSERT_EQ(restored.size(), manifest.tables.size());
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_EQ(restored[i].rows, manifest.tables[i].rows);
    EXPECT_EQ(restored[i].fingerprint, manifest.tables[i].fingerprint);
  }
}

TEST_F(BackupTest, PgDumpKilledMidStreamLeavesNoBackupBehind) {
  archive::Manifest previous = first_backup();
  database_ = shop(400000);  // large enough to be caught in the middle
  bool killed = false;
  try {
    (void)run(*store_, database_, {.progress = [&killed](std::uint64_t bytes) {
      if (!killed && bytes > (1u << 20)) {
        if (pid_t pid = child_pg_dump()) killed = ::kill(pid, SIGKILL) == 0;
      }
    }});
    FAIL() << "the run should have failed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::ExternalTool);
    EXPECT_EQ(std::string(error.what()).rfind("pg_dump failed (killed by signal 9 (Killed))", 0), 0u)
        << error.what();
  }
  EXPECT_TRUE(killed);
  catalog::Catalog after = catalog();
  EXPECT_EQ(after.entries.size(), 1u);  // nothing new, not even an incomplete archive
  EXPECT_EQ(after.latest_good()->id, previous.id);
  EXPECT_TRUE(check_store(*store_, after, std::chrono::system_clock::now(), {}, std::nullopt).ok);
  EXPECT_FALSE(store_->head("soulstone.lock"));  // released
  (void)run(*store_, database_, {});             // and the next run succeeds
  EXPECT_EQ(catalog().entries.size(), 2u);
}

TEST_F(BackupTest, AFailingStoreLeavesNoBackupBehind) {
  archive::Manifest previous = first_backup();
  // The sink fails half-way (as a dropped upload would): the error surfaces,
  // pg_dump is stopped, and nothing becomes visible.
  try {
    (void)run(*store_, database_, {.progress = [](std::uint64_t bytes) {
      if (bytes > 100000) throw Error(ErrorKind::Storage, "injected: connection reset by peer");
    }});
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "injected: connection reset by peer");
  }
  EXPECT_EQ(catalog().entries.size(), 1u);
  EXPECT_EQ(catalog().latest_good()->id, previous.id);
  EXPECT_EQ(child_pg_dump(), 0);  // no pg_dump left running
}

TEST_F(BackupTest, AFlippedByteIsFlaggedByVerifyAndCheck) {
  archive::Manifest manifest = run(*store_, database_, {});
  auto path = dir_.path() / "store" / manifest.archive_key;
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(manifest.stored_size / 2));
  char byte = 0;
  file.read(&byte, 1);
  byte ^= 0x10;
  file.seekp(static_cast<std::streamoff>(manifest.stored_size / 2));
  file.write(&byte, 1);
  file.close();

  catalog::Catalog found = catalog();
  VerifyReport report = verify(*store_, *found.latest_good(), std::nullopt);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.back(), "the stored bytes' SHA-256 differs from the manifest's");
  CheckReport checked = check_store(*store_, found, std::chrono::system_clock::now(), {}, std::nullopt);
  EXPECT_FALSE(checked.ok);
  EXPECT_EQ(checked.reason.rfind("the newest good backup " + manifest.id + " is damaged: ", 0), 0u)
      << checked.reason;
}

// A store read that stops part-way with Interrupted (the agent's or the
// CLI's stop) is not a finding about the archive: verify and check pass the
// stop on instead of reporting a damaged backup.
class StoppingStore final : public store::ObjectStore {
 public:
  explicit StoppingStore(store::ObjectStore& inner) : inner_(inner) {}
  std::unique_ptr<store::ObjectWriter> put(const std::string& key) override { return inner_.put(key); }
  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    bool first = true;
    inner_.get(key, [&](std::string_view piece) {
      if (!first && key.ends_with(".dump.zst"))
        throw Error(ErrorKind::Interrupted, "aborted: a stop was requested (SIGTERM or SIGINT)");
      first = false;
      consume(piece);
    });
  }
  std::vector<store::ObjectInfo> list(const std::string& prefix) override { return inner_.list(prefix); }
  std::optional<store::ObjectInfo> head(const std::string& key) override { return inner_.head(key); }
  void remove(const std::string& key) override { inner_.remove(key); }
  std::string describe() const override { return inner_.describe(); }

 private:
  store::ObjectStore& inner_;
};

TEST_F(BackupTest, AStopDuringVerifyIsNotAFindingAboutTheBackup) {
  pg::Connection::open(database_).exec(
      "INSERT INTO customer SELECT g, md5(g::text) || '@example.com', now() "
      "FROM generate_series(100000, 400000) g");
  archive::Manifest manifest = run(*store_, database_, {});
  ASSERT_GT(manifest.stored_size, 1u << 20);  // more than one piece to read
  StoppingStore stopping(*store_);
  catalog::Catalog found = catalog::read_catalog(stopping);
  try {
    (void)verify(stopping, *found.latest_good(), std::nullopt);
    FAIL() << "a stopped verify returned a report";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Interrupted);
  }
  EXPECT_THROW((void)check_store(stopping, found, std::chrono::system_clock::now(), {.verify_latest = true},
                                 std::nullopt),
               Error);
  EXPECT_TRUE(verify(*store_, *found.latest_good(), std::nullopt).ok());
}

TEST_F(BackupTest, ASecondRunIsRefusedWhileTheFirstHoldsTheLock) {
  store::put_string(
      *store_, "soulstone.lock",
      nlohmann::json{
          {"token", "other"}, {"host", "elsewhere"}, {"pid", 4242}, {"expires_at", "2199-01-01T00:00:00Z"}}
          .dump());
  try {
    (void)run(*store_, database_, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()),
              "another backup run holds " + store_->describe() +
                  "/soulstone.lock (pid 4242 on elsewhere, until 2199-01-01T00:00:00Z)");
  }
  EXPECT_TRUE(catalog().entries.empty());
}

TEST_F(BackupTest, ALockLeftByACrashedRunIsTakenOver) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  store::put_string(
      *store_, "soulstone.lock",
      nlohmann::json{
          {"token", "crashed"}, {"host", host}, {"pid", dead}, {"expires_at", "2199-01-01T00:00:00Z"}}
          .dump());
  (void)run(*store_, database_, {});
  EXPECT_EQ(catalog().entries.size(), 1u);
  EXPECT_FALSE(store_->head("soulstone.lock"));
}

TEST_F(BackupTest, CheckReportsStaleAndShrunkenBackups) {
  archive::Manifest first = first_backup();
  auto stale = check(catalog(), std::chrono::system_clock::now() + 27h, {});
  EXPECT_FALSE(stale.ok);
  EXPECT_EQ(
      stale.reason.rfind("the newest good backup " + first.id + " finished 27h 0m ago (limit 26h 0m)", 0), 0u)
      << stale.reason;

  pg::Connection::open(database_).exec("DELETE FROM purchase WHERE id > 100");  // most of the data gone
  archive::Manifest second = run(*store_, database_, {});
  auto shrunk = check(catalog(), std::chrono::system_clock::now(), {});
  EXPECT_FALSE(shrunk.ok);
  EXPECT_NE(shrunk.reason.find("the newest good backup " + second.id + " is "), std::string::npos)
      << shrunk.reason;
  EXPECT_NE(shrunk.reason.find("% of the size of " + first.id + " (limit 50%)"), std::string::npos)
      << shrunk.reason;
}

TEST(BackupCheck, AnEmptyStoreFails) {
  auto report = check(catalog::Catalog{}, std::chrono::system_clock::now(), {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.reason, "no good backup in the store");
}

}  // namespace
}  // namespace soulstone::backup

namespace soulstone::backup {
namespace {

// Synthetic backups: a manifest and an archive object of the recorded size.
void fake_backup(store::ObjectStore& store, std::chrono::sys_seconds finished) {
  archive::Manifest m;
  m.id = catalog::backup_id(finished);
  m.started_at = finished;
  m.finished_at = finished;
  m.archive_key = catalog::archive_key(m.id, false);
  m.stored_size = 3;
  store::put_string(store, m.archive_key, "zst");
  store::put_string(store, catalog::manifest_key(m.id), archive::to_json(m));
}

std::chrono::sys_seconds day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours{2};
}

TEST(Prune, DeletesExactlyWhatThePlanSaysArchiveFirst) {
  TempDir dir("soulstone-test-prune-");
  auto store = store::open_store((dir.path() / "s").string());
  for (auto t = day(2026, 9, 25); t <= day(2026, 10, 29); t += std::chrono::hours{24})
    fake_backup(*store, t);
  // An incomplete archive left by a crash long ago: past the grace period.
  store::put_string(*store, "soulstone-20260901-020000.dump.zst.enc", "orphan");
  std::filesystem::last_write_time(dir.path() / "s" / "soulstone-20260901-020000.dump.zst.enc",
                                   std::chrono::file_clock::from_sys(day(2026, 9, 1)));
  auto now = day(2026, 10, 29) + std::chrono::hours{1};
  PruneResult result = prune(*store, catalog::read_catalog(*store), retention::Policy{},
                             retention::utc_calendar(), now, false);
  std::vector<std::string> expected = {"soulstone-20260901-020000.dump.zst.enc"};
  // Kept: the 30 days from Sep 30 (also the newest of September) to Oct 29.
  for (const char* id :
       {"soulstone-20260929-020000", "soulstone-20260928-020000", "soulstone-20260927-020000",
        "soulstone-20260926-020000", "soulstone-20260925-020000"}) {
    expected.push_back(std::string(id) + ".dump.zst");
    expected.push_back(std::string(id) + ".manifest.json");
  }
  std::sort(expected.begin(), expected.end());
  std::sort(result.deleted_keys.begin(), result.deleted_keys.end());
  EXPECT_EQ(result.deleted_keys, expected);
  catalog::Catalog after = catalog::read_catalog(*store);
  EXPECT_EQ(after.entries.size(), 30u);
  EXPECT_EQ(after.latest_good()->id, "soulstone-20261029-020000");
}

TEST(Prune, DryRunDeletesNothing) {
  TempDir dir("soulstone-test-prune-");
  auto store = store::open_store((dir.path() / "s").string());
  for (auto t = day(2026, 1, 1); t <= day(2026, 3, 1); t += std::chrono::hours{24})
    fake_backup(*store, t);
  auto before = store->list("").size();
  PruneResult result = prune(*store, catalog::read_catalog(*store), retention::Policy{},
                             retention::utc_calendar(), day(2026, 3, 2), true);
  EXPECT_TRUE(result.deleted_keys.empty());
  EXPECT_EQ(store->list("").size(), before);
}

// A store whose listing fails: the catalog cannot be read, so prune never runs.
class UnlistableStore final : public store::ObjectStore {
 public:
  explicit UnlistableStore(store::ObjectStore& inner) : inner_(inner) {}
  std::unique_ptr<store::ObjectWriter> put(const std::string& key) override { return inner_.put(key); }
  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    inner_.get(key, consume);
  }
  std::vector<store::ObjectInfo> list(const std::string&) override {
    throw Error(ErrorKind::Storage, "injected: listing failed after page 3");
  }
  std::optional<store::ObjectInfo> head(const std::string& key) override { return inner_.head(key); }
  void remove(const std::string& key) override {
    ++removed;
    inner_.remove(key);
  }
  std::string describe() const override { return inner_.describe(); }
  int removed = 0;

 private:
  store::ObjectStore& inner_;
};

TEST(Prune, AListingErrorDeletesNothing) {
  TempDir dir("soulstone-test-prune-");
  auto inner = store::open_store((dir.path() / "s").string());
  for (auto t = day(2025, 1, 1); t <= day(2025, 6, 1); t += std::chrono::hours{24})
    fake_backup(*inner, t);
  UnlistableStore store(*inner);
  EXPECT_THROW((void)catalog::read_catalog(store), Error);
  EXPECT_EQ(store.removed, 0);
}

TEST(BackupCli, KilledMidUploadLeavesTheStoreAsItWas) {
  TempDir dir("soulstone-test-kill-");
  std::string store_url = "file://" + (dir.path() / "s").string();
  pg::ConnInfo small = shop();
  auto env = std::vector<std::pair<std::string, std::string>>{{"DATABASE_URL", small.url()},
                                                              {"SOULSTONE_BACKUP_URL", store_url}};
  auto first = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env});
  ASSERT_EQ(first.status.code, 0) << first.err;
  std::this_thread::sleep_for(1100ms);

  env[0].second = shop(600000).url();
  pg::Child run = pg::spawn({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env},
                            {.out = pg::Stdio::Null, .err = pg::Stdio::Null});
  // Wait until the archive is being written, then kill the whole run hard.
  bool writing = false;
  for (int i = 0; i < 600 && !writing; ++i) {
    for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "s"))
      if (entry.path().filename().string().rfind(".soulstone-tmp-", 0) == 0 && entry.file_size() > 100000)
        writing = true;
    if (!writing) std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(writing);
  run.kill(SIGKILL);
  EXPECT_EQ(run.wait().signal, SIGKILL);

  auto list = pg::run({.argv = {SOULSTONE_BINARY, "--json", "backup", "list"}, .env = env});
  auto backups = nlohmann::json::parse(list.out)["backups"];
  ASSERT_EQ(backups.size(), 1u);  // only the first, good one
  EXPECT_EQ(backups[0]["good"], true);
  auto checked = pg::run({.argv = {SOULSTONE_BINARY, "backup", "check"}, .env = env});
  EXPECT_EQ(checked.status.code, 0) << checked.err;
  // The dead run's lock is taken over and the next run succeeds.
  auto next = pg::run({.argv = {SOULSTONE_BINARY, "backup", "run"}, .env = env});
  EXPECT_EQ(next.status.code, 0) << next.err;
}

TEST(BackupFullDisk, AFullDiskFailsTheRunAndKeepsThePreviousBackup) {
  TempDir dir("soulstone-test-full-");
  if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=2m") != 0)
    GTEST_SKIP() << "cannot mount a 2 MiB tmpfs here (needs root and mount rights)";
  struct Unmount {
    std::filesystem::path path;
    ~Unmount() { ::umount(path.c_str()); }
  } unmount{dir.path()};
  auto store = store::open_store("file://" + (dir.path() / "s").string());
  pg::ConnInfo database = shop(2000);
  archive::Manifest previous = run(*store, database, {});
  std::this_thread::sleep_for(1100ms);

  pg::Connection::open(database).exec(
      "INSERT INTO purchase SELECT g, 1 + g % 5000, 1, jsonb_build_object('sku', md5(g::text)) "
      "FROM generate_series(2001, 200000) g");  // several MiB compressed: more than the disk holds
  try {
    (void)run(*store, database, {});
    FAIL() << "the run should have failed";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    std::regex expected("cannot write " + (dir.path() / "s").string() +
                        "/soulstone-[0-9]{8}-[0-9]{6}\\.dump\\.zst: No space left on device");
    EXPECT_TRUE(std::regex_match(std::string(error.what()), expected)) << error.what();
    EXPECT_EQ(error.hint(), "the disk is full: free space, then run again; nothing partial was left");
  }
  catalog::Catalog after = catalog::read_catalog(*store);
  ASSERT_EQ(after.entries.size(), 1u);
  EXPECT_EQ(after.latest_good()->id, previous.id);
  CheckReport report = check_store(*store, after, std::chrono::system_clock::now(), {}, std::nullopt);
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.latest_id, previous.id);
  std::vector<std::string> files;  // no partial file, no lock left behind
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "s"))
    files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{previous.archive_key, previous.id + ".manifest.json"}));

  // Once there is room again, the next run succeeds.
  ASSERT_EQ(::mount("tmpfs", dir.path().c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0);
  EXPECT_EQ(run(*store, database, {}).rows_total(), 205000);
}

}  // namespace
}  // namespace soulstone::backup
