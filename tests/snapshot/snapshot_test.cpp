#include "snapshot/snapshot.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "archive/pg_dump_stream.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "child_output.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "postgres_env.hpp"

namespace soulstone::snapshot {
namespace {

using soulstone::testing::fresh_database;

pg::ConnInfo dev_database() {
  pg::ConnInfo url = fresh_database("snap");
  pg::Connection::open(url).exec(
      "CREATE TABLE product (id int PRIMARY KEY, slug text UNIQUE, price numeric(10,2));"
      "CREATE TABLE review (id int PRIMARY KEY, product_id int REFERENCES product, body text);"
      "INSERT INTO product SELECT g, 'product-' || g, g * 1.5 FROM generate_series(1, 3000) g;"
      "INSERT INTO review SELECT g, 1 + g % 3000, repeat('great ', g % 20) FROM generate_series(1, 9000) g;");
  return url;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class SnapshotTest : public ::testing::Test {
 protected:
  TempDir dir_{"soulstone-test-snapshot-"};
  std::filesystem::path file_ = dir_.path() / "local.dump.zst";
};

TEST_F(SnapshotTest, CreateThenRestoreGivesIdenticalTables) {
  pg::ConnInfo source = dev_database();
  CreateResult created = create(source, {.file = file_});
  EXPECT_EQ(created.tables, 2u);
  EXPECT_EQ(created.rows, 12000);
  struct stat info {};
  ASSERT_EQ(::stat(file_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(static_cast<std::uint64_t>(info.st_size), created.size);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 1);  // no temporary left

  pg::ConnInfo target = fresh_database("snap_target");
  RestoreResult restored = restore(file_, target, {});
  EXPECT_EQ(restored.data_blocks, 2u);
  auto before = archive::table_stats(source);
  auto after = archive::table_stats(target);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].rows, before[i].rows);
    EXPECT_EQ(after[i].fingerprint, before[i].fingerprint);
  }
}

TEST_F(SnapshotTest, StockToolsRestoreTheFile) {
  pg::ConnInfo source = dev_database();
  (void)create(source, {.file = file_});
  // The README's manual recipe: zstd -d, then pg_restore.
  auto unzstd =
      pg::run({.argv = {"zstd", "-d", "-q", file_.string(), "-o", (dir_.path() / "plain.dump").string()}});
  ASSERT_TRUE(unzstd.status.ok()) << unzstd.err;
  pg::ConnInfo target = fresh_database("snap_stock");
  auto restore = pg::run({.argv = {pg::tool_path("pg_restore"), "--no-owner", "--exit-on-error",
                                   "--dbname=" + target.url(), (dir_.path() / "plain.dump").string()}});
  ASSERT_TRUE(restore.status.ok()) << restore.err;
  EXPECT_EQ(archive::table_stats(target)[0].fingerprint, archive::table_stats(source)[0].fingerprint);
}

TEST_F(SnapshotTest, AnExistingFileIsKeptWithoutForce) {
  pg::ConnInfo source = dev_database();
  std::ofstream(file_) << "precious";
  try {
    (void)create(source, {.file = file_});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()), file_.string() + " already exists");
  }
  EXPECT_EQ(read_file(file_), "precious");
  (void)create(source, {.file = file_, .replace = true});
  EXPECT_NE(read_file(file_), "precious");
}

TEST_F(SnapshotTest, AProductionSourceIsRefused) {
  pg::ConnInfo source = dev_database();
  auto connection = pg::Connection::open(source);
  pg::write_mark(connection, pg::Environment::Production);
  try {
    (void)create(source, {.file = file_});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()),
              "snapshot create refused: " + source.redacted() +
                  " is marked production, and local snapshots never hold customer data");
  }
  EXPECT_FALSE(std::filesystem::exists(file_));
}

TEST_F(SnapshotTest, ANonEmptyTargetIsRefusedAndUntouchedWithoutClean) {
  pg::ConnInfo source = dev_database();
  (void)create(source, {.file = file_});
  pg::ConnInfo target = dev_database();
  pg::Connection::open(target).exec("INSERT INTO product VALUES (99999, 'mine', 1)");
  auto before = archive::table_stats(target);
  try {
    (void)restore(file_, target, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()),
              "snapshot restore refused: " + target.redacted() + " already holds 2 table(s)");
  }
  EXPECT_EQ(archive::table_stats(target)[0].fingerprint, before[0].fingerprint);

  (void)restore(file_, target, {.clean = true});
  EXPECT_EQ(archive::table_stats(target)[0].fingerprint, archive::table_stats(source)[0].fingerprint);
}

TEST_F(SnapshotTest, AProductionTargetIsRefused) {
  pg::ConnInfo source = dev_database();
  (void)create(source, {.file = file_});
  pg::ConnInfo target = fresh_database("snap_prod");
  auto connection = pg::Connection::open(target);
  pg::write_mark(connection, pg::Environment::Production);
  EXPECT_THROW((void)restore(file_, target, {}), Error);
  EXPECT_TRUE(archive::table_stats(target).empty());
}

// Ctrl-C during `snapshot create`: pg_dump is stopped and the half-written
// file removed, so no partial dump lingers beside the one asked for.
TEST_F(SnapshotTest, SigintLeavesNoHalfWrittenFile) {
  pg::ConnInfo source = fresh_database("snap_stop");
  pg::Connection::open(source).exec(
      "CREATE TABLE bulk (id bigint PRIMARY KEY, body text);"
      "INSERT INTO bulk SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 1500000) g;");
  pg::Child create = pg::spawn({.argv = {SOULSTONE_BINARY, "snapshot", "create", file_.string()},
                                .env = {{"DATABASE_URL", source.url()}}},
                               {.out = pg::Stdio::Null, .err = pg::Stdio::Pipe});
  // Wait until the hidden temporary file beside the target holds data.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (bool writing = false; !writing;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline);
    ASSERT_FALSE(create.try_wait().has_value()) << "the snapshot ended before it was stopped";
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
      writing = writing || (entry.path().filename().string().rfind(".local.dump.zst.", 0) == 0 &&
                            entry.file_size() > 100000);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  create.kill(SIGINT);
  std::string err = soulstone::testing::read_stderr_to_end(create);
  pg::ExitStatus status = create.wait();
  EXPECT_EQ(status.code, 130) << status.describe() << "\n" << err;
  EXPECT_EQ(err,
            "soulstone: error: snapshot stopped by SIGINT: nothing was written to " + file_.string() + "\n");
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path())) << "a partial file was left behind";
}

TEST_F(SnapshotTest, ATruncatedFileFailsLoudly) {
  pg::ConnInfo source = dev_database();
  (void)create(source, {.file = file_});
  std::string bytes = read_file(file_);
  std::ofstream(file_, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  pg::ConnInfo target = fresh_database("snap_cut");
  try {
    (void)restore(file_, target, {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "the archive is truncated: the zstd stream ends inside a frame; " +
                                             target.redacted() + " may now be partly restored");
    EXPECT_EQ(error.hint(), "fix the cause, then restore again with --clean");
  }
}

}  // namespace
}  // namespace soulstone::snapshot
