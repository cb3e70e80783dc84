// pg_dump streamed through the pipeline against the throw-away cluster: the
// archive is whole by the walker, restorable by stock pg_restore, and every
// truncation is caught (where pg_restore --list is not).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <random>

#include "archive/dump_scanner.hpp"
#include "archive/dump_walker.hpp"
#include "archive/pg_dump_stream.hpp"
#include "archive/sink.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "postgres_env.hpp"

namespace soulstone::archive {
namespace {

using soulstone::testing::fresh_database;

pg::ConnInfo shop_database() {
  pg::ConnInfo url = fresh_database("dump");
  auto db = pg::Connection::open(url);
  db.exec(
      "CREATE TABLE customer (id bigint PRIMARY KEY, email text UNIQUE, joined timestamptz);"
      "CREATE TABLE \"Order\" (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer, total "
      "numeric(12,2),"
      " items jsonb);"
      "CREATE TABLE empty_table (v int);"
      "INSERT INTO customer SELECT g, 'user' || g || '@example.com', '2026-01-01'::timestamptz + g * "
      "interval '1 minute'"
      " FROM generate_series(1, 5000) g;"
      "INSERT INTO \"Order\" SELECT g, 1 + g % 5000, (g % 997) * 1.25, jsonb_build_object('sku', "
      "md5(g::text))"
      " FROM generate_series(1, 20000) g;");
  return url;
}

// The stream of a dump, and what walking it found.
std::string dump_to_string(const pg::ConnInfo& url, DumpSummary* summary = nullptr,
                           DumpResult* result = nullptr) {
  StringSink out;
  DumpResult got = dump_database(url, out);
  if (result != nullptr) *result = got;
  EXPECT_TRUE(out.finished());
  DumpWalker walker;
  walker.write(out.text());
  walker.finish();
  if (summary != nullptr) *summary = walker.summary();
  return out.text();
}

TEST(DumpDatabase, StreamsAWholeArchiveThatTheWalkerCountsAndFingerprints) {
  pg::ConnInfo url = shop_database();
  DumpSummary summary;
  DumpResult result;
  (void)dump_to_string(url, &summary, &result);
  EXPECT_EQ(summary.database, url.get("dbname"));
  EXPECT_EQ(summary.version_major, 1);
  EXPECT_FALSE(summary.compressed);
  EXPECT_EQ(summary.data_entries, 3u);
  EXPECT_EQ(summary.data_blocks, 3u);
  EXPECT_GT(summary.data_bytes, 1000000u);

  ASSERT_EQ(summary.tables.size(), 3u);
  EXPECT_EQ(summary.tables[0].name, "Order");  // byte order: upper case first
  EXPECT_EQ(summary.tables[0].rows, 20000);
  EXPECT_EQ(summary.tables[1].name, "customer");
  EXPECT_EQ(summary.tables[1].rows, 5000);
  EXPECT_EQ(summary.tables[2].rows, 0);
  EXPECT_EQ(summary.tables[2].fingerprint, "0000000000000000");
  // The live database, read through COPY, gives the same figures.
  auto live = table_stats(url);
  ASSERT_EQ(live.size(), 3u);
  for (std::size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(live[i].name, summary.tables[i].name);
    EXPECT_EQ(live[i].rows, summary.tables[i].rows);
    EXPECT_EQ(live[i].fingerprint, summary.tables[i].fingerprint) << live[i].name;
  }
  // Read on several sessions (one snapshot, largest table first), the same
  // figures in the same order.
  for (int sessions : {2, 5}) {
    auto parallel = table_stats(url, sessions);
    ASSERT_EQ(parallel.size(), live.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
      EXPECT_EQ(parallel[i].name, live[i].name) << sessions;
      EXPECT_EQ(parallel[i].rows, live[i].rows) << sessions;
      EXPECT_EQ(parallel[i].fingerprint, live[i].fingerprint) << sessions;
    }
  }
  EXPECT_GE(result.server_version, 150000);
  EXPECT_EQ(result.pg_dump_version.rfind("pg_dump (PostgreSQL) 15.", 0), 0u) << result.pg_dump_version;
}

TEST(DumpDatabase, RecordsTheMigrationHistoryOfTheSnapshot) {
  pg::ConnInfo url = shop_database();
  pg::Connection::open(url).exec(
      "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, "
      "finished_at "
      "timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at "
      "timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0);"
      "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at) VALUES "
      "('a', 'c1', '2026-11-01 00:00:01+00', '20261101000000_init', '2026-11-01 00:00:00+00'),"
      "('b', 'c2', NULL, '20261102000000_failed', '2026-11-02 00:00:00+00')");
  DumpResult result;
  (void)dump_to_string(url, nullptr, &result);
  ASSERT_EQ(result.migrations.size(), 2u);
  EXPECT_EQ(result.migrations[0].name, "20261101000000_init");
  EXPECT_EQ(result.migrations[0].checksum, "c1");
  EXPECT_EQ(result.migrations[1].finished_at, "");
}

TEST(DumpDatabase, FingerprintsIgnoreRowOrderButSeeEveryValue) {
  pg::ConnInfo url = shop_database();
  auto before = table_stats(url);
  auto db = pg::Connection::open(url);
  // Same rows, new physical order.
  db.exec("CLUSTER customer USING customer_pkey; UPDATE customer SET email = email WHERE id % 2 = 0");
  EXPECT_EQ(table_stats(url)[1].fingerprint, before[1].fingerprint);
  db.exec("UPDATE customer SET email = 'changed@example.com' WHERE id = 4242");
  EXPECT_NE(table_stats(url)[1].fingerprint, before[1].fingerprint);
  EXPECT_EQ(table_stats(url)[1].rows, before[1].rows);
}

TEST(DumpDatabase, StockPgRestoreRestoresTheStream) {
  pg::ConnInfo source = shop_database();
  DumpSummary summary;
  std::string archive = dump_to_string(source, &summary);
  TempDir dir("soulstone-test-dump-");
  std::ofstream(dir.path() / "shop.dump", std::ios::binary) << archive;

  pg::ConnInfo target = fresh_database("restored");
  auto restore = pg::run({.argv = {pg::tool_path("pg_restore"), "--no-owner", "--exit-on-error",
                                   "--dbname=" + target.url(), (dir.path() / "shop.dump").string()}});
  ASSERT_TRUE(restore.status.ok()) << restore.err;
  auto restored = table_stats(target);
  ASSERT_EQ(restored.size(), summary.tables.size());
  for (std::size_t i = 0; i < restored.size(); ++i) {
    EXPECT_EQ(restored[i].rows, summary.tables[i].rows) << restored[i].name;
    EXPECT_EQ(restored[i].fingerprint, summary.tables[i].fingerprint) << restored[i].name;
  }
}

TEST(DumpWalker, CatchesEveryTruncationThatPgRestoreListMisses) {
  std::string archive = dump_to_string(shop_database());
  TempDir dir("soulstone-test-dump-");
  // Cut points: inside the header, inside the table of contents' end, at the
  // first block, inside a data chunk, and just before the end.
  for (std::size_t cut :
       {std::size_t{9}, archive.size() / 3, archive.size() / 2, archive.size() - 7, archive.size() - 1}) {
    std::string truncated = archive.substr(0, cut);
    DumpWalker walker;
    EXPECT_THROW(
        {
          walker.write(truncated);
          walker.finish();
        },
        Error)
        << "cut at " << cut;
  }
  // pg_restore --list reads only the table of contents: it passes a dump
  // that lost its last half.
  std::ofstream(dir.path() / "half.dump", std::ios::binary) << archive.substr(0, archive.size() / 2);
  auto list = pg::run({.argv = {pg::tool_path("pg_restore"), "--list", (dir.path() / "half.dump").string()}});
  EXPECT_TRUE(list.status.ok()) << list.err;
}

// Copies every element and payload piece the scanner reports.
class CopyingVisitor final : public DumpVisitor {
 public:
  std::string copy;
  void head(const DumpHead&, DumpElement element) override { copy.append(element.raw); }
  void block_type(int, DumpElement element) override { copy.append(element.raw); }
  void block_id(std::int64_t, DumpElement element) override { copy.append(element.raw); }
  void blob_oid(std::int64_t, DumpElement element) override { copy.append(element.raw); }
  void chunk_length(std::int64_t, DumpElement element) override { copy.append(element.raw); }
  void payload(std::string_view data, std::uint64_t) override { copy.append(data); }
};

TEST(DumpScanner, ReportsEveryByteOnceWhateverTheWriteSizes) {
  DumpSummary whole;
  std::string archive = dump_to_string(shop_database(), &whole);
  ASSERT_EQ(whole.tables.size(), 3u);
  std::mt19937 random(7);
  for (std::size_t largest :
       {std::size_t{1}, std::size_t{3}, std::size_t{17}, std::size_t{4096}, archive.size()}) {
    CopyingVisitor visitor;
    DumpScanner scanner(visitor);
    DumpWalker walker;
    for (std::size_t at = 0; at < archive.size();) {
      std::size_t size = std::min<std::size_t>(1 + random() % largest, archive.size() - at);
      scanner.write(std::string_view(archive).substr(at, size));
      walker.write(std::string_view(archive).substr(at, size));
      at += size;
    }
    walker.finish();
    EXPECT_TRUE(scanner.between_blocks()) << "pieces of up to " << largest;
    EXPECT_EQ(scanner.position(), archive.size());
    EXPECT_TRUE(visitor.copy == archive) << "pieces of up to " << largest;
    ASSERT_EQ(walker.summary().tables.size(), whole.tables.size());
    for (std::size_t i = 0; i < whole.tables.size(); ++i) {
      EXPECT_EQ(walker.summary().tables[i].rows, whole.tables[i].rows) << whole.tables[i].name;
      EXPECT_EQ(walker.summary().tables[i].fingerprint, whole.tables[i].fingerprint) << whole.tables[i].name;
    }
  }
}

TEST(DumpWalker, NamesTheMissingTableWhenWholeBlocksAreGone) {
  std::string archive = dump_to_string(shop_database());
  // Find where the last block starts by walking prefixes: the longest prefix
  // that fails only for a missing entry is a cut between blocks.
  bool found = false;
  for (std::size_t cut = archive.size() - 1; cut > archive.size() / 2 && !found; --cut) {
    DumpWalker walker;
    walker.write(archive.substr(0, cut));
    try {
      walker.finish();
    } catch (const Error& error) {
      std::string message = error.what();
      if (message.rfind("the archive is truncated: no data for TABLE DATA ", 0) == 0) found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST(DumpWalker, ReadsCompressedArchivesToo) {
  pg::ConnInfo url = shop_database();
  auto dump = pg::run(
      {.argv = {pg::tool_path("pg_dump"), "--format=custom", "--compress=6", "--dbname=" + url.url()}});
  ASSERT_TRUE(dump.status.ok()) << dump.err;
  DumpWalker walker;
  walker.write(dump.out);
  walker.finish();
  EXPECT_EQ(walker.summary().data_blocks, 3u);
  EXPECT_TRUE(walker.summary().compressed);
  EXPECT_TRUE(walker.summary().tables.empty());  // gzip chunks are not fingerprinted
}

TEST(DumpWalker, RejectsWhatIsNotAnArchive) {
  DumpWalker walker;
  try {
    walker.write("PK\x03\x04 this is a zip file");
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "the archive is corrupt at byte 0: not a pg_dump custom-format archive (no PGDMP magic)");
  }
}

TEST(DumpDatabase, AnUnreachableDatabaseIsOneClearError) {
  pg::ConnInfo url = fresh_database("gone");
  url.set("dbname", "no_such_database");
  StringSink out;
  try {
    (void)dump_database(url, out);
    FAIL();
  } catch (const pg::DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find("database \"no_such_database\" does not exist"),
              std::string::npos);
  }
  EXPECT_FALSE(out.finished());
}

}  // namespace
}  // namespace soulstone::archive
