// The generated C++ client against Prisma Client 7 (+ @prisma/adapter-pg) on
// the same database in one run (issue 8, point 4):
//
//   find_many: 10,000 orders with their users (one include)
//   create_many: 100,000 products (ours: COPY; Prisma: createMany)
//
// A throw-away embedded PostgreSQL gets the Soulstone schema (as migrations
// create it) and 10,000 orders of 2,000 users. Each operation runs
// SOULSTONE_BENCH_REPETITIONS times (default 5) per contender; medians count.
// Prisma Client is generated offline into a temporary folder from a copy of
// the schema (bench/client_prisma.mjs runs it).
//
//   build/bench/bench_client          (needs node and scripts/bootstrap's .deps/npm)

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "client.hpp"
#include "migrate/diff.hpp"
#include "model/from_schema.hpp"
#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "pg/subprocess.hpp"
#include "prisma_client.hpp"
#include "psl/psl.hpp"
#include "sql/render.hpp"

namespace {

using namespace soulstone;
namespace db = ::soulstone_db;

constexpr int kOrders = 10000;
constexpr int kRowsToCreate = 100000;
const std::string kSchema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
const std::string kNodeModules = SOULSTONE_SOURCE_DIR "/.deps/npm/node_modules";

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

void load_schema_and_orders(const pg::ConnInfo& database) {
  std::string script =
      sql::render_script(migrate::diff(model::Schema{}, model::from_schema(psl::load(kSchema))));
  pg::Connection connection = pg::Connection::open(database);
  connection.exec(script);
  connection.exec(R"sql(
    INSERT INTO users (email, full_name, display_name, role, last_login_at, updated_at)
    SELECT 'user' || i || '@example.com', 'User ' || i, 'u' || i, 'CUSTOMER', now() - i * interval '1 hour', now()
    FROM generate_series(1, 2000) AS i;
    INSERT INTO orders (user_id, status, currency, subtotal, shipping_total, tax_total, total, email,
                        shipping_address, placed_from_ip, customer_note, placed_at, updated_at)
    SELECT (SELECT id FROM users WHERE email = 'user' || (i % 2000 + 1) || '@example.com'), 'PAID', 'EUR',
           (i % 500) * 1.5, 4.90, (i % 500) * 0.3, (i % 500) * 1.8 + 4.9, 'buyer' || i || '@example.com',
           jsonb_build_object('line1', i || ' Main Street', 'city', 'Springfield', 'country', 'US'),
           ('192.0.2.' || (i % 250))::inet, CASE WHEN i % 3 = 0 THEN 'Leave at the door' END,
           now() - i * interval '1 minute', now()
    FROM generate_series(1, 10000) AS i;
  )sql");
  connection.exec(
      "VACUUM ANALYZE");  // on its own: VACUUM cannot run in a multi-statement query's transaction
}

struct Figures {
  std::vector<double> find_many_ms;
  std::vector<double> create_many_ms;
};

// One round of ours: the same work as one round of bench/client_prisma.mjs.
void run_ours(db::Client& client, int round, Figures& figures) {
  {
    auto start = std::chrono::steady_clock::now();
    std::vector<db::Order> orders = client.order().find_many({.take = kOrders, .include = {.user = true}});
    figures.find_many_ms.push_back(elapsed_ms(start));
    if (orders.size() != kOrders || orders.back().user.get() == nullptr)
      throw Error(ErrorKind::Failure, "find_many read " + std::to_string(orders.size()) + " orders");
  }
  {
    std::string name = "ours" + std::to_string(round);
    std::vector<db::ProductCreate> rows;
    rows.reserve(kRowsToCreate);
    for (int i = 0; i < kRowsToCreate; ++i) {
      char n[8];
      std::snprintf(n, sizeof n, "%06d", i);
      char price[16];
      std::snprintf(price, sizeof price, "%d.%02d", (i % 10000) / 100, i % 100);
      rows.push_back({.sku = "P" + name + "-" + n,
                      .slug = "p" + name + "-" + n,
                      .name = "Bench product " + std::to_string(i),
                      .price = client::Decimal(price)});
    }
    auto start = std::chrono::steady_clock::now();
    std::int64_t written = client.product().create_many(rows);
    figures.create_many_ms.push_back(elapsed_ms(start));
    if (written != kRowsToCreate)
      throw Error(ErrorKind::Failure, "create_many wrote " + std::to_string(written));
    (void)client.product().delete_many({.sku = {.starts_with = "P" + name + "-"}});
  }
}

// One round of Prisma: a node process that runs each operation twice and
// reports the second run (the first warms its JIT up, as ours is warmed up).
void run_prisma(const pg::ConnInfo& database, const std::filesystem::path& prisma_client, int round,
                Figures& figures) {
  pg::RunResult result =
      pg::run({.argv = {"node", SOULSTONE_SOURCE_DIR "/bench/client_prisma.mjs", prisma_client.string(),
                        std::to_string(kRowsToCreate), "2", "prisma" + std::to_string(round)},
               .env = {{"DATABASE_URL", database.url()}, {"NODE_PATH", kNodeModules}}});
  if (!result.status.ok()) throw Error(ErrorKind::Failure, "the Prisma benchmark failed: " + result.err);
  nlohmann::json out = nlohmann::json::parse(result.out);
  if (out["found"] != kOrders || out["created"] != kRowsToCreate)
    throw Error(ErrorKind::Failure, "Prisma read or wrote other rows: " + result.out);
  figures.find_many_ms.push_back(out["find_many_ms"].back().get<double>());
  figures.create_many_ms.push_back(out["create_many_ms"].back().get<double>());
}

void report(const char* what, const std::vector<double>& ours, const std::vector<double>& prisma) {
  double a = median(ours), b = median(prisma);
  std::printf("%-44s ours %9.1f ms   prisma %9.1f ms   ratio prisma / ours = %.1f\n", what, a, b, b / a);
}

}  // namespace

int main() {
  try {
    const char* env = std::getenv("SOULSTONE_BENCH_REPETITIONS");
    const int repetitions = env != nullptr ? std::max(1, std::atoi(env)) : 5;
    TempDir folder("soulstone-bench-client-");
    ::chmod(folder.path().c_str(), 0755);
    pg::EmbeddedServer server(pg::EmbeddedOptions{.dir = folder.path() / "pg", .ephemeral = true});
    server.start();
    pg::ConnInfo database = server.conninfo("postgres");
    load_schema_and_orders(database);
    std::filesystem::path prisma_client =
        bench::generate_prisma_client(folder.path() / "prisma", kSchema, kNodeModules);

    // Interleaved rounds: the shared machine's load drifts, and alternating
    // the contenders keeps that drift out of the ratio.
    Figures ours, prisma;
    db::Client client(database);
    (void)client.order().find_many({.take = 10, .include = {.user = true}});  // connect and prepare, untimed
    for (int round = 0; round < repetitions; ++round) {
      run_ours(client, round, ours);
      run_prisma(database, prisma_client, round, prisma);
    }
    std::printf("medians of %d interleaved rounds, same database, one run\n", repetitions);
    report("find_many: 10,000 orders + include user", ours.find_many_ms, prisma.find_many_ms);
    report("create_many: 100,000 products", ours.create_many_ms, prisma.create_many_ms);
    server.stop();
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_client: %s\n", error.what());
    return 1;
  }
}
