// The drill against the throw-away cluster and a file:// store: a sound
// backup, and each failure mode of issue 7 (a corrupt archive, rows lost or
// changed in the restored copy, a broken foreign key, a health endpoint that
// is down), each with its exact reason in the report.
#include "drill/drill.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/pg_dump_stream.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "migrate/deploy.hpp"
#include "migrate/diff.hpp"
#include "migrate/diff_source.hpp"
#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "postgres_env.hpp"
#include "sql/render.hpp"

namespace soulstone::drill {
namespace {

using namespace std::chrono_literals;
using soulstone::testing::fresh_database;

// 2026-05-15: the second quarter, so the drill's database is soulstone_restore_2026q2.
const auto kMay2026 = std::chrono::system_clock::time_point(std::chrono::seconds(1778803200));

pg::ConnInfo shop() {
  pg::ConnInfo url = fresh_database("drill_src");
  pg::Connection::open(url).exec(
      "CREATE TABLE customer (id bigint PRIMARY KEY, email text UNIQUE, joined timestamptz);"
      "CREATE TABLE purchase (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer, total "
      "numeric(12,2));"
      "INSERT INTO customer SELECT g, 'user' || g || '@example.com', '2026-01-01'::timestamptz + g * "
      "interval '1 min'"
      " FROM generate_series(1, 3000) g;"
      "INSERT INTO purchase SELECT g, 1 + g % 3000, (g % 997) * 1.25 FROM generate_series(1, 12000) g;");
  return url;
}

bool database_exists(const std::string& name) {
  auto admin = pg::Connection::open(soulstone::testing::postgres());
  return admin.exec("SELECT 1 FROM pg_database WHERE datname = $1", {name}).rows() == 1;
}

const Check& find_check(const Report& report, const std::string& name) {
  for (const Check& check : report.checks)
    if (check.name == name) return check;
  throw std::runtime_error("no check named " + name);
}

class DrillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = shop();
    manifest_ = backup::run(*store_, source_, {});
  }
  Report drill(Options options = {}) {
    options.now = kMay2026;
    return run(*store_, soulstone::testing::postgres(), std::nullopt, options);
  }

  TempDir dir_{"soulstone-test-drill-"};
  std::unique_ptr<store::ObjectStore> store_ =
      store::open_store("file://" + (dir_.path() / "store").string());
  pg::ConnInfo source_;
  archive::Manifest manifest_;
};

TEST(DrillName, NamesTheQuarter) {
  EXPECT_EQ(database_name(kMay2026), "soulstone_restore_2026q2");
  EXPECT_EQ(database_name(std::chrono::system_clock::time_point(std::chrono::seconds(1767225599))),
            "soulstone_restore_2025q4");  // 2025-12-31T23:59:59Z
  EXPECT_EQ(database_name(std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))),
            "soulstone_restore_2026q1");  // 2026-01-01T00:00:00Z
}

TEST_F(DrillTest, ASoundBackupPassesEveryCheckThatRanAndIsDroppedAfterwards) {
  Report report = drill();
  EXPECT_EQ(report.snapshot, manifest_.id);
  EXPECT_EQ(report.database, "soulstone_restore_2026q2");
  EXPECT_EQ(report.rows, 15000);
  EXPECT_GT(report.restored_bytes, 0u);
  EXPECT_EQ(find_check(report, "restore " + manifest_.id).status, Status::Passed);
  const Check& tables = find_check(report, "row counts and fingerprints");
  EXPECT_EQ(tables.status, Status::Passed);
  EXPECT_EQ(tables.detail, "2 tables, 15000 rows match the manifest");
  const Check& keys = find_check(report, "referential integrity");
  EXPECT_EQ(keys.status, Status::Passed);
  EXPECT_EQ(keys.detail, "every foreign key holds (1 checked)");
  EXPECT_EQ(find_check(report, "health endpoint").status, Status::Skipped);
  // The schema checks need a schema and migrations: never reported as passed without them.
  const Check& schema = find_check(report, "schema alignment");
  EXPECT_EQ(schema.status, Status::NotRun);
  EXPECT_EQ(schema.detail, "no schema at (none given)");
  EXPECT_EQ(report.verdict(), Status::NotRun);
  std::vector<std::string> phases;
  for (const auto& phase : report.phases)
    phases.push_back(phase.name);
  EXPECT_EQ(phases, (std::vector<std::string>{"provision", "restore", "verify", "health", "clean-up"}));
  EXPECT_FALSE(database_exists("soulstone_restore_2026q2"));
}

TEST_F(DrillTest, ACorruptArchiveFailsTheRestoreAndNothingIsVerified) {
  auto path = dir_.path() / "store" / manifest_.archive_key;
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(manifest_.stored_size / 2));
  file.put('\x5a');
  file.close();
  Report report = drill();
  const Check& restore = find_check(report, "restore " + manifest_.id);
  EXPECT_EQ(restore.status, Status::Failed);
  EXPECT_EQ(restore.detail.rfind("backup " + manifest_.id + " failed verification: ", 0), 0u)
      << restore.detail;
  EXPECT_TRUE(restore.detail.ends_with("; nothing was committed: " + report.target + " is unchanged"))
      << restore.detail;
  EXPECT_EQ(find_check(report, "row counts and fingerprints").status, Status::NotRun);
  EXPECT_EQ(find_check(report, "row counts and fingerprints").detail, "the restore failed");
  EXPECT_EQ(report.verdict(), Status::Failed);
  EXPECT_FALSE(database_exists("soulstone_restore_2026q2"));
}

TEST_F(DrillTest, LostRowsInTheCopyAreFound) {
  Report report = drill({.after_restore = [](const pg::ConnInfo& copy) {
    pg::Connection::open(copy).exec("DELETE FROM purchase WHERE id > 11990");
  }});
  const Check& tables = find_check(report, "row counts and fingerprints");
  EXPECT_EQ(tables.status, Status::Failed);
  EXPECT_EQ(tables.issues,
            std::vector<std::string>{"table public.purchase has 11990 rows, the manifest 12000"});
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(DrillTest, AChangedValueInTheCopyIsFound) {
  std::string tampered;
  Report report = drill({.after_restore = [&](const pg::ConnInfo& copy) {
    pg::Connection::open(copy).exec("UPDATE customer SET email = 'someone@else.example' WHERE id = 42");
    tampered = archive::table_stats(copy)[0].fingerprint;
  }});
  const Check& tables = find_check(report, "row counts and fingerprints");
  EXPECT_EQ(tables.status, Status::Failed);
  EXPECT_EQ(tables.issues,
            std::vector<std::string>{"table public.customer has the manifest's 3000 rows but different "
                                     "contents (fingerprint " +
                                     tampered + ", manifest " + manifest_.tables[0].fingerprint + ")"});
}

TEST_F(DrillTest, ABrokenForeignKeyIsFound) {
  Report report = drill({.after_restore = [](const pg::ConnInfo& copy) {
    // Triggers off: the server's own FK enforcement is bypassed, as a faulty restore could.
    pg::Connection::open(copy).exec(
        "SET session_replication_role = replica; DELETE FROM customer WHERE id = 1");
  }});
  const Check& keys = find_check(report, "referential integrity");
  EXPECT_EQ(keys.status, Status::Failed);
  EXPECT_EQ(keys.issues, std::vector<std::string>{"foreign key purchase_customer_id_fkey (public.purchase -> "
                                                  "public.customer): 4 row(s) reference a missing row"});
}

TEST_F(DrillTest, AHealthEndpointThatIsDownFailsTheDrill) {
  const int port = pg::find_free_port();
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
  Report report = drill({.health_url = url});
  const Check& health = find_check(report, "health endpoint");
  EXPECT_EQ(health.status, Status::Failed);
  EXPECT_EQ(health.detail.rfind("GET " + url + " failed: ", 0), 0u) << health.detail;
  EXPECT_NE(health.detail.find("onnect"), std::string::npos)
      << health.detail;  // curl: "Could not connect", "Connection refused"
  EXPECT_EQ(health.issues, std::vector<std::string>{health.detail});
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(DrillTest, TheHealthEndpointMustAnswerTwoHundreds) {
  httplib::Server server;
  int status = 200;
  server.Get("/healthz", [&](const httplib::Request&, httplib::Response& response) {
    response.status = status;
    response.set_content("ok", "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });
  while (!server.is_running())
    std::this_thread::sleep_for(10ms);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/healthz";
  Report up = drill({.health_url = url});
  EXPECT_EQ(find_check(up, "health endpoint").status, Status::Passed);
  EXPECT_EQ(find_check(up, "health endpoint").detail.rfind("GET " + url + " answered HTTP 200 in ", 0), 0u);
  status = 503;
  Report down = drill({.health_url = url});
  EXPECT_EQ(find_check(down, "health endpoint").status, Status::Failed);
  EXPECT_EQ(find_check(down, "health endpoint").detail, "GET " + url + " answered HTTP 503");
  server.stop();
  serving.join();
}

TEST_F(DrillTest, SmokeQueriesPassAndFailWithTheirReason) {
  Report report = drill(
      {.smoke = {
           {.name = "customers", .sql = "SELECT count(*) FROM customer", .expect = "3000"},
           {.name = "big spenders", .sql = "SELECT id FROM purchase WHERE total > 1240", .min_rows = 1000},
           {.name = "typo", .sql = "SELECT * FROM custmer"},
           {.name = "no writes", .sql = "DELETE FROM purchase"}}});
  EXPECT_EQ(find_check(report, "smoke: customers").status, Status::Passed);
  std::string spenders(
      pg::Connection::open(source_).exec("SELECT count(*) FROM purchase WHERE total > 1240").get(0, 0));
  EXPECT_EQ(find_check(report, "smoke: big spenders").detail, spenders + " row(s), at least 1000 expected");
  EXPECT_EQ(find_check(report, "smoke: typo").detail.rfind("the query failed: ", 0), 0u);
  EXPECT_NE(find_check(report, "smoke: typo").detail.find("relation \"custmer\" does not exist"),
            std::string::npos);
  EXPECT_NE(find_check(report, "smoke: no writes").detail.find("read-only transaction"), std::string::npos);
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(DrillTest, AFreshInstanceIsStartedAndRemoved) {
  TempDir base("soulstone-test-drill-instance-");
  std::filesystem::permissions(base.path(),
                               std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                               std::filesystem::perm_options::add);  // the server's account must reach it
  Report report = drill({.fresh_instance = true, .instance_base = base.path()});
  EXPECT_TRUE(report.fresh_instance);
  EXPECT_EQ(find_check(report, "row counts and fingerprints").status, Status::Passed)
      << find_check(report, "fresh copy").detail;
  EXPECT_EQ(find_check(report, "fresh copy")
                .detail.rfind("created soulstone_restore_2026q2 in a new embedded PostgreSQL in " +
                                  base.path().string() + "/soulstone-drill-",
                              0),
            0u);
  EXPECT_TRUE(std::filesystem::is_empty(base.path()));
}

TEST_F(DrillTest, AKeptCopyIsReplacedByTheNextDrillButAForeignDatabaseIsNot) {
  Report kept = drill({.keep = true});
  EXPECT_TRUE(kept.kept);
  EXPECT_TRUE(database_exists("soulstone_restore_2026q2"));
  Report again = drill();
  EXPECT_EQ(find_check(again, "fresh copy").status, Status::Passed);
  EXPECT_FALSE(database_exists("soulstone_restore_2026q2"));

  auto admin = pg::Connection::open(soulstone::testing::postgres());
  admin.exec("CREATE DATABASE soulstone_restore_2026q2");
  Report refused = drill();
  EXPECT_EQ(find_check(refused, "fresh copy").status, Status::Failed);
  EXPECT_EQ(find_check(refused, "fresh copy").detail,
            "drill refused: the database soulstone_restore_2026q2 exists and was not made by a drill");
  EXPECT_TRUE(database_exists("soulstone_restore_2026q2"));
  admin.exec("DROP DATABASE soulstone_restore_2026q2");
}

TEST_F(DrillTest, NoBackupIsAFinding) {
  Report report = drill({.snapshot = "soulstone-19990101-000000"});
  EXPECT_EQ(find_check(report, "backup").detail,
            "no backup 'soulstone-19990101-000000' in " + store_->describe());
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(DrillTest, ReportsAreAppendedInMarkdownAndJson) {
  TempDir docs("soulstone-test-drill-docs-");
  auto runbook = docs.path() / "runbook.md";
  auto log = docs.path() / "runbook.jsonl";
  Report first = drill();
  Report second = drill({.health_url = "http://127.0.0.1:1/healthz"});
  append_report(first, runbook, log);
  append_report(second, runbook, log);
  std::ifstream markdown(runbook);
  std::string text{std::istreambuf_iterator<char>(markdown), {}};
  EXPECT_EQ(text.rfind("# Runbook\n", 0), 0u);
  auto sections = [&text] {
    std::size_t count = 0;
    for (std::size_t at = text.find("\n## Restore drill "); at != std::string::npos;
         at = text.find("\n## Restore drill ", at + 1))
      ++count;
    return count;
  };
  EXPECT_EQ(sections(), 2u);
  EXPECT_NE(text.find("UTC: INCOMPLETE\n"), std::string::npos);
  EXPECT_NE(text.find("UTC: FAILED\n"), std::string::npos);
  EXPECT_NE(
      text.find(
          "| verify | row counts and fingerprints | passed | 2 tables, 15000 rows match the manifest |"),
      std::string::npos);
  EXPECT_NE(text.find("- schema alignment: no schema at (none given)\n"), std::string::npos);
  std::ifstream lines(log);
  std::vector<nlohmann::json> documents;
  for (std::string line; std::getline(lines, line);)
    documents.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0]["format"], "soulstone-drill-report");
  EXPECT_EQ(documents[0]["verdict"], "incomplete");
  EXPECT_EQ(documents[1]["verdict"], "failed");
  EXPECT_EQ(documents[1]["snapshot"]["id"], manifest_.id);
  EXPECT_EQ(documents[1]["sizes"]["rows"], 15000);
}

// A database made from a schema.prisma by our own `migrate diff --from-empty
// --to-schema --script`, so the two agree by construction.
class SchemaDrillTest : public DrillTest {
 protected:
  void SetUp() override {
    std::ofstream(schema_) << R"prisma(datasource db {
  provider = "postgresql"
}

model Customer {
  id        BigInt     @id
  email     String     @unique
  purchases Purchase[]

  @@map("customer")
}

model Purchase {
  id         BigInt   @id @default(autoincrement())
  customerId BigInt   @map("customer_id")
  customer   Customer @relation(fields: [customerId], references: [id])
  total      Decimal  @db.Decimal(12, 2)

  @@map("purchase")
}
)prisma";
    using Source = migrate::DiffSource;
    sql::Migration migration =
        migrate::diff(migrate::read_source({.kind = Source::Kind::Empty}, {}),
                      migrate::read_source({.kind = Source::Kind::Schema, .value = schema_}, {}));
    std::filesystem::create_directories(migrations_ / "20260101000000_init");
    std::ofstream(migrations_ / "20260101000000_init" / "migration.sql") << sql::render_script(migration);
    std::ofstream(migrations_ / "migration_lock.toml") << "provider = \"postgresql\"\n";
    source_ = fresh_database("drill_schema");
    auto db = pg::Connection::open(source_);
    (void)migrate::deploy(db, migrate::read_migrations_dir(migrations_));
    db.exec(
        "INSERT INTO customer SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 100) g;"
        "INSERT INTO purchase (customer_id, total) SELECT 1 + g % 100, g FROM generate_series(1, 400) g;");
    manifest_ = backup::run(*store_, source_, {});
  }
  std::string schema_ = (dir_.path() / "schema.prisma").string();
  std::filesystem::path migrations_ = dir_.path() / "migrations";
};

TEST_F(SchemaDrillTest, ACopyThatMatchesItsSchemaAndHistoryPassesEveryCheck) {
  Report report = drill({.schema = schema_, .migrations = migrations_});
  for (const Check& check : report.checks)
    EXPECT_TRUE(check.status == Status::Passed || check.status == Status::Skipped)
        << check.name << ": " << check.detail;
  EXPECT_EQ(report.verdict(), Status::Passed);
  EXPECT_NE(to_markdown(report).find(" UTC: passed\n"), std::string::npos);
  const Check& alignment = find_check(report, "schema alignment");
  EXPECT_EQ(alignment.status, Status::Passed)
      << alignment.detail << (alignment.issues.empty() ? "" : alignment.issues[0]);
  EXPECT_EQ(alignment.detail, "`migrate diff --from-url <copy> --to-schema " + schema_ + "` is empty");
  EXPECT_EQ(find_check(report, "smoke: every sequence is ahead of its column").status, Status::Passed);
}

TEST_F(SchemaDrillTest, SchemaDriftIsFound) {
  Report report = drill({.schema = schema_, .after_restore = [](const pg::ConnInfo& copy) {
                           pg::Connection::open(copy).exec("ALTER TABLE purchase ADD COLUMN note text");
                         }});
  const Check& alignment = find_check(report, "schema alignment");
  EXPECT_EQ(alignment.status, Status::Failed);
  EXPECT_EQ(alignment.detail, "1 statement(s) would align the copy with " + schema_);
  EXPECT_EQ(alignment.issues,
            std::vector<std::string>{"the copy differs from " + schema_ +
                                     "; aligning it takes: ALTER TABLE \"purchase\" DROP COLUMN \"note\""});
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(SchemaDrillTest, ASequenceLeftBehindItsColumnIsFound) {
  Report report = drill({.after_restore = [](const pg::ConnInfo& copy) {
    pg::Connection::open(copy).exec("SELECT setval('purchase_id_seq', 10)");
  }});
  const Check& sequences = find_check(report, "smoke: every sequence is ahead of its column");
  EXPECT_EQ(sequences.status, Status::Failed);
  EXPECT_EQ(sequences.detail, "returned 1, expected 0");
}

// setval(s, max + 1, false), as db seed leaves a sequence (and pg_dump restores
// it), hands out max + 1 next: ahead of its column, though pg_sequences shows
// no last_value for it.
TEST_F(SchemaDrillTest, ASequenceSetPastItsColumnWithoutACallPasses) {
  Report report = drill({.after_restore = [](const pg::ConnInfo& copy) {
    pg::Connection::open(copy).exec(
        "SELECT setval('purchase_id_seq', (SELECT max(id) + 1 FROM purchase), false)");
  }});
  const Check& sequences = find_check(report, "smoke: every sequence is ahead of its column");
  EXPECT_EQ(sequences.status, Status::Passed) << sequences.detail;
}

// A database migrated by `migrate deploy` from a migrations folder.
class HistoryDrillTest : public DrillTest {
 protected:
  void SetUp() override {
    add_migration("20260101000000_init", "CREATE TABLE note (id int PRIMARY KEY, body text);");
    add_migration("20260102000000_tags", "ALTER TABLE note ADD COLUMN tags text[];");
    source_ = fresh_database("drill_history");
    auto db = pg::Connection::open(source_);
    (void)migrate::deploy(db, migrate::read_migrations_dir(migrations_));
    db.exec("INSERT INTO note SELECT g, 'note ' || g FROM generate_series(1, 50) g");
    manifest_ = backup::run(*store_, source_, {});
  }
  void add_migration(const std::string& name, const std::string& sql) {
    std::filesystem::create_directories(migrations_ / name);
    std::ofstream(migrations_ / name / "migration.sql") << sql;
    std::ofstream(migrations_ / "migration_lock.toml") << "provider = \"postgresql\"\n";
  }
  std::filesystem::path migrations_ = dir_.path() / "migrations";
};

TEST_F(HistoryDrillTest, ACopyWithTheWholeHistoryPasses) {
  Report report = drill({.migrations = migrations_});
  const Check& history = find_check(report, "migration history");
  EXPECT_EQ(history.status, Status::Passed) << (history.issues.empty() ? history.detail : history.issues[0]);
  EXPECT_EQ(history.detail,
            "all 2 migrations of " + migrations_.string() + " are applied; none failed, edited or unknown");
}

TEST_F(HistoryDrillTest, AMigrationMissingFromTheCopysHistoryIsFound) {
  // The repository moved on after the backup: the copy lacks the new migration.
  add_migration("20260103000000_archived", "ALTER TABLE note ADD COLUMN archived boolean;");
  Report report = drill({.migrations = migrations_});
  const Check& history = find_check(report, "migration history");
  EXPECT_EQ(history.status, Status::Failed);
  EXPECT_EQ(history.issues,
            std::vector<std::string>{"migration 20260103000000_archived of " + migrations_.string() +
                                     " is missing from the copy's history"});
  EXPECT_EQ(report.verdict(), Status::Failed);
}

TEST_F(HistoryDrillTest, AMigrationDeletedFromTheCopysHistoryIsFound) {
  Report report = drill({.migrations = migrations_, .after_restore = [](const pg::ConnInfo& copy) {
                           pg::Connection::open(copy).exec(
                               "DELETE FROM _prisma_migrations WHERE migration_name = '20260102000000_tags'");
                         }});
  const Check& history = find_check(report, "migration history");
  EXPECT_EQ(history.issues,
            std::vector<std::string>{"migration 20260102000000_tags of " + migrations_.string() +
                                     " is missing from the copy's history"});
}

TEST(DrillConfig, ReadsSmokeQueriesAndNamesMistakes) {
  TempDir dir("soulstone-test-drill-config-");
  auto file = dir.path() / "soulstone.toml";
  std::ofstream(file)
      << "[drill]\nhealth_url = \"http://localhost:3000/healthz\"\n\n[[drill.smoke]]\n"
         "name = \"orders\"\nsql = \"SELECT 1\"\nexpect = 1\n\n[[drill.smoke]]\nname = \"rows\"\n"
         "sql = \"SELECT 1\"\nmin_rows = 1\n";
  Options options;
  load_config(file, options);
  EXPECT_EQ(options.health_url, "http://localhost:3000/healthz");
  ASSERT_EQ(options.smoke.size(), 2u);
  EXPECT_EQ(options.smoke[0].expect, "1");
  EXPECT_EQ(options.smoke[1].min_rows, 1);

  std::ofstream(file, std::ios::trunc)
      << "[drill]\n\n[[drill.smoke]]\nname = \"orders\"\nsql = \"SELECT 1\"\nexpct = 1\n";
  Options bad;
  try {
    load_config(file, bad);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              file.string() + ":6:1: unknown key 'expct' in a [[drill.smoke]] entry");
  }
  Options missing;
  load_config(dir.path() / "absent.toml", missing);
  EXPECT_TRUE(missing.smoke.empty());
}

}  // namespace
}  // namespace soulstone::drill
