// soulstone restore --jobs 2 against the guide's `pg_restore --clean --create`
// of the same archive, on the same server in one run (issue 7's measure):
//   guide:  pg_restore --clean --if-exists --create --dbname=postgres shop.dump
//           (the plain custom-format dump, already decompressed: the anchor
//           pays nothing for reading the store or proving the archive)
//   ours:   restore latest --to .../shop_restored --create --jobs 2
//           (from the store: SHA-256, zstd, the walk and every table's
//           fingerprint proven against the manifest, staged, then
//           pg_restore --jobs 2 with the bulk-load session settings)
//   ours, streamed: the same with --jobs 1 (one transaction, nothing staged)
//   drill: the whole drill with --jobs 2, against ours: the cost of verifying
// The database is generated in a throw-away embedded server with rows shaped
// like the shop's (customers, addresses, products, orders, items, payments,
// reviews: UUID and bigint keys, unique e-mails and SKUs, foreign keys with
// their indexes, JSON, numerics, timestamps, free text).
// SOULSTONE_BENCH_MB sets its size (default 1024).
#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>

#include "archive/manifest_check.hpp"
#include "archive/pg_dump_stream.hpp"
#include "backup/backup.hpp"
#include "base/temp_dir.hpp"
#include "catalog/catalog.hpp"
#include "drill/drill.hpp"
#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "ratio_main.hpp"
#include "restore/restore.hpp"
#include "store/store.hpp"

namespace {

using namespace soulstone;

constexpr const char* kSchema = R"sql(
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'refunded');
CREATE TABLE customer (id uuid PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL,
  phone text, created_at timestamptz NOT NULL);
CREATE TABLE address (id bigint PRIMARY KEY, customer_id uuid NOT NULL REFERENCES customer ON DELETE CASCADE,
  street text NOT NULL, city text NOT NULL, postcode text NOT NULL, country char(2) NOT NULL);
CREATE INDEX address_customer_id_idx ON address (customer_id);
CREATE TABLE product (id bigint PRIMARY KEY, sku text NOT NULL UNIQUE, title text NOT NULL,
  description text NOT NULL, price numeric(10,2) NOT NULL, attributes jsonb NOT NULL);
CREATE TABLE "order" (id uuid PRIMARY KEY, customer_id uuid NOT NULL REFERENCES customer,
  address_id bigint REFERENCES address, status order_status NOT NULL, total numeric(12,2) NOT NULL,
  created_at timestamptz NOT NULL);
CREATE INDEX order_customer_id_idx ON "order" (customer_id);
CREATE INDEX order_created_at_idx ON "order" (created_at);
CREATE TABLE order_item (id bigint PRIMARY KEY, order_id uuid NOT NULL REFERENCES "order" ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES product, quantity int NOT NULL, unit_price numeric(10,2) NOT NULL);
CREATE INDEX order_item_order_id_idx ON order_item (order_id);
CREATE INDEX order_item_product_id_idx ON order_item (product_id);
CREATE TABLE payment (id uuid PRIMARY KEY, order_id uuid NOT NULL REFERENCES "order", provider text NOT NULL,
  reference text NOT NULL UNIQUE, amount numeric(12,2) NOT NULL, captured_at timestamptz);
CREATE INDEX payment_order_id_idx ON payment (order_id);
CREATE TABLE review (id bigint PRIMARY KEY, product_id bigint NOT NULL REFERENCES product,
  customer_id uuid NOT NULL REFERENCES customer, rating smallint NOT NULL, body text NOT NULL,
  created_at timestamptz NOT NULL);
CREATE INDEX review_product_id_idx ON review (product_id);
)sql";

constexpr long kProducts = 20000;
constexpr long kCustomersPerRound = 20000;

// One round: customers with addresses, their orders with items and payments,
// and reviews. Keys derive from the round so rounds never collide.
void add_round(pg::Connection& db, long round) {
  // bigint, so the arithmetic on g below never overflows.
  const std::string first = std::to_string(round * kCustomersPerRound) + "::bigint";
  const std::string last = std::to_string((round + 1) * kCustomersPerRound - 1) + "::bigint";
  db.exec(
      "INSERT INTO customer SELECT md5('c' || g)::uuid, 'customer' || g || '@example.com', "
      "(ARRAY['Ada','Grace','Linus','Barbara','Ken','Margaret'])[1 + g % 6] || ' ' || "
      "(ARRAY['Lovelace','Hopper','Torvalds','Liskov','Thompson','Hamilton'])[1 + (g / 6) % 6], "
      "'+44 20 7946 ' || lpad((g % 10000)::text, 4, '0'), timestamptz '2024-01-01' + g * interval '7 min' "
      "FROM generate_series(" +
      first + ", " + last +
      ") g;"
      "INSERT INTO address SELECT g, md5('c' || g)::uuid, (g % 300) || ' ' || "
      "(ARRAY['High Street','Station Road','Church Lane','Mill Road'])[1 + g % 4], "
      "(ARRAY['London','Leeds','Bristol','York','Bath'])[1 + g % 5], 'AB' || (g % 90 + 10) || ' ' || (g % 9) "
      "|| 'CD', "
      "'GB' FROM generate_series(" +
      first + ", " + last +
      ") g;"
      // Three orders per customer on average, three items each, one payment.
      "INSERT INTO \"order\" SELECT md5('o' || g)::uuid, md5('c' || (g / 3))::uuid, g / 3, "
      "(enum_range(NULL::order_status))[1 + g % 5], (g % 50000) / 100.0 + 5, "
      "timestamptz '2024-01-01' + g * interval '2 min' "
      "FROM generate_series(" +
      first + " * 3, " + last +
      " * 3 + 2) g;"
      "INSERT INTO order_item SELECT g, md5('o' || (g / 3))::uuid, 1 + (g * 7919) % " +
      std::to_string(kProducts) +
      ", 1 + g % 4, (g % 9000) / 100.0 + 1 "
      "FROM generate_series(" +
      first + " * 9, " + last +
      " * 9 + 8) g;"
      "INSERT INTO payment SELECT md5('p' || g)::uuid, md5('o' || g)::uuid, "
      "(ARRAY['stripe','adyen','paypal'])[1 + g % 3], 'pay_' || md5('ref' || g), (g % 50000) / 100.0 + 5, "
      "CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2024-01-01' + g * interval '2 min' END "
      "FROM generate_series(" +
      first + " * 3, " + last +
      " * 3 + 2) g;"
      "INSERT INTO review SELECT g, 1 + (g * 104729) % " +
      std::to_string(kProducts) +
      ", md5('c' || g)::uuid, 1 + g % 5, repeat('Arrived quickly and works as described. ', (1 + g % "
      "6)::int) || "
      "md5(g::text), timestamptz '2024-01-01' + g * interval '11 min' "
      "FROM generate_series(" +
      first + ", " + last + ") g;");
}

struct Fixture {
  TempDir folder{"soulstone-bench-restore-"};
  std::unique_ptr<pg::EmbeddedServer> server;
  pg::ConnInfo source;
  std::unique_ptr<store::ObjectStore> store;
  archive::Manifest manifest;
  std::filesystem::path plain_dump;
  std::uint64_t database_bytes = 0;

  Fixture() {
    ::chmod(folder.path().c_str(), 0755);
    // Durable settings (fsync on): a restore is measured as it runs on a real server.
    server = std::make_unique<pg::EmbeddedServer>(pg::EmbeddedOptions{.dir = folder.path() / "pg"});
    server->start();
    auto admin = pg::Connection::open(server->conninfo("postgres"));
    admin.exec("CREATE DATABASE shop");
    source = server->conninfo("shop");
    auto db = pg::Connection::open(source);
    db.exec(kSchema);
    db.exec(
        "INSERT INTO product SELECT g, 'SKU-' || lpad(g::text, 8, '0'), 'Product ' || g, "
        "repeat('A sturdy, well-made thing. ', 3 + g % 8), (g % 20000) / 100.0 + 1, "
        "jsonb_build_object('colour', (ARRAY['red','green','blue'])[1 + g % 3], 'weight_g', g % 5000) "
        "FROM generate_series(1, " +
        std::to_string(kProducts) + ") g");
    const char* env = std::getenv("SOULSTONE_BENCH_MB");
    const long target_mb = env != nullptr ? std::atol(env) : 1024;
    for (long round = 0;; ++round) {
      add_round(db, round);
      database_bytes =
          std::stoull(std::string(db.exec("SELECT pg_database_size(current_database())").get(0, 0)));
      if (database_bytes >= static_cast<std::uint64_t>(target_mb) << 20) break;
    }
    db.exec("VACUUM (FREEZE, ANALYZE)");
    store = store::open_store("file://" + (folder.path() / "store").string());
    manifest = backup::run(*store, source, {});
    // The guide restores the same archive, decompressed once, outside the timing.
    plain_dump = folder.path() / "shop.dump";
    auto unzstd =
        pg::run({.argv = {"zstd", "-d", "-q", "-f", (folder.path() / "store" / manifest.archive_key).string(),
                          "-o", plain_dump.string()}});
    if (!unzstd.status.ok()) throw std::runtime_error("zstd -d failed: " + unzstd.err);
    std::fprintf(stderr, "database %.0f MB, stored %.0f MB, dump %.0f MB, %lld rows in %zu tables\n",
                 static_cast<double>(database_bytes) / (1 << 20),
                 static_cast<double>(manifest.stored_size) / (1 << 20),
                 static_cast<double>(manifest.dump_size) / (1 << 20), manifest.rows_total(),
                 manifest.tables.size());
  }
  ~Fixture() { server->stop(); }

  void drop(const std::string& name) {
    auto admin = pg::Connection::open(server->conninfo("postgres"));
    admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(name) + " WITH (FORCE)");
    admin.exec("CHECKPOINT");  // every contender starts without the previous one's dirty buffers
  }
  // Untimed: the restored copy must equal the manifest, or the figure means nothing.
  void require_faithful(benchmark::State& state, const std::string& name) {
    auto problems = archive::compare_tables(archive::table_stats(server->conninfo(name)), manifest.tables);
    if (!problems.empty()) state.SkipWithError(("restored copy differs: " + problems.front()).c_str());
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

void BM_Guide_PgRestoreCleanCreate(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    state.PauseTiming();
    f.drop("shop");  // the source, or the previous iteration's copy: its removal is not the restore's cost
    state.ResumeTiming();
    // --create recreates the archive's own database ("shop"); --clean drops it first. --if-exists,
    // because the drop above was left out of the timing.
    auto result =
        pg::run({.argv = {pg::tool_path("pg_restore"), "--clean", "--if-exists", "--create", "--no-owner",
                          "--exit-on-error", "--dbname=" + f.server->conninfo("postgres").url(),
                          f.plain_dump.string()}});
    if (!result.status.ok()) {
      std::fprintf(stderr, "pg_restore failed: %s\n", result.err.c_str());
      return state.SkipWithError("pg_restore failed");
    }
  }
  f.require_faithful(state, "shop");
}

void restore_ours(benchmark::State& state, int jobs) {
  Fixture& f = fixture();
  const std::string name = "shop_ours_" + std::to_string(jobs);
  for (auto _ : state) {
    state.PauseTiming();
    f.drop(name);
    state.ResumeTiming();
    auto catalog = catalog::read_catalog(*f.store);
    (void)restore::restore(*f.store, restore::choose_backup(catalog, "latest", f.store->describe()),
                           f.server->conninfo(name), std::nullopt, {.create = true, .jobs = jobs});
  }
  f.require_faithful(state, name);
  f.drop(name);  // keep the disk footprint to two copies (after the timed loop: not measured)
}

void BM_Soulstone_RestoreJobs2(benchmark::State& state) { restore_ours(state, 2); }
void BM_Soulstone_RestoreStreamed(benchmark::State& state) { restore_ours(state, 1); }

// The whole drill (provision, restore --jobs 2, verify, clean-up), its
// phases as counters; its ratio to BM_Soulstone_RestoreJobs2 is the cost of
// verification (goal: under 1.3).
void BM_Soulstone_DrillJobs2(benchmark::State& state) {
  Fixture& f = fixture();
  drill::Report report;
  for (auto _ : state)
    report = drill::run(*f.store, f.server->conninfo("postgres"), std::nullopt, {.jobs = 2});
  for (const auto& phase : report.phases)
    state.counters[phase.name + "_s"] = phase.seconds;
  for (const auto& check : report.checks)
    if (check.status == drill::Status::Failed)
      state.SkipWithError((check.name + " failed: " + check.detail).c_str());
}

BENCHMARK(BM_Guide_PgRestoreCleanCreate)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Soulstone_RestoreJobs2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Soulstone_RestoreStreamed)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Soulstone_DrillJobs2)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  (void)fixture();  // generate the database and the backup before anything is timed
  return soulstone::bench::run_with_ratios(argc, argv,
                                           {{"BM_Soulstone_RestoreJobs2/iterations:1/real_time",
                                             "BM_Guide_PgRestoreCleanCreate/iterations:1/real_time"},
                                            {"BM_Soulstone_RestoreStreamed/iterations:1/real_time",
                                             "BM_Guide_PgRestoreCleanCreate/iterations:1/real_time"},
                                            {"BM_Soulstone_DrillJobs2/iterations:1/real_time",
                                             "BM_Soulstone_RestoreJobs2/iterations:1/real_time"}});
}
