// migrate diff against Prisma's engine (the oracle), on the same inputs in one
// run:
//   - --from-url --to-schema on a generated 300-table database (the schema
//     adds a column to every tenth table, so the answer is a real script);
//   - --from-empty --to-schema on the Soulstone schema.
// Ours is measured in-process (read the sources, diff, render: what the
// command does after parsing its flags); the oracle is measured as the
// command it is (node + the engine's WebAssembly), which is how Prisma's
// engine is run. Both scripts are checked equal before timing.
//
//   build/bench/bench_migrate_diff        (needs node; ORACLE overrides the oracle's path)

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "base/temp_dir.hpp"
#include "migrate/diff.hpp"
#include "migrate/diff_source.hpp"
#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "pg/subprocess.hpp"
#include "ratio_main.hpp"
#include "sql/render.hpp"

namespace soulstone {
namespace {

namespace fs = std::filesystem;

std::string generated_schema(int tables, bool with_extra_columns) {
  std::ostringstream out;
  out << "datasource db {\n  provider = \"postgresql\"\n}\n\nenum Status {\n  ACTIVE\n  PAUSED\n  "
         "CLOSED\n}\n";
  for (int i = 0; i < tables; ++i) {
    out << "\nmodel Item" << i << " {\n"
        << "  id        String   @id @default(cuid())\n"
        << "  name      String   @db.VarChar(100)\n"
        << "  count     Int      @default(0)\n"
        << "  price     Decimal  @db.Decimal(10, 2)\n"
        << "  data      Json?\n"
        << "  flag      Boolean  @default(false)\n"
        << "  status    Status   @default(ACTIVE)\n"
        << "  createdAt DateTime @default(now())\n"
        << "  updatedAt DateTime @updatedAt\n";
    if (with_extra_columns && i % 10 == 0) out << "  note      String?\n";
    if (i > 0)
      out << "  parentId  String?\n  parent    Item" << i - 1
          << "? @relation(fields: [parentId], references: [id])\n";
    if (i + 1 < tables) out << "  children  Item" << i + 1 << "[]\n";
    out << "\n  @@index([name])\n  @@unique([name, count])\n}\n";
  }
  return out.str();
}

struct Fixture {
  TempDir dir{"soulstone-bench-diff"};
  pg::EmbeddedServer server{{.dir = dir.path() / "pg", .ephemeral = true}};
  fs::path schema300;
  fs::path soulstone_schema = fs::path(SOULSTONE_SOURCE_DIR) / "apps" / "api" / "prisma" / "schema.prisma";
  std::string url300;
  std::string admin_url;
  std::string oracle =
      std::getenv("ORACLE") != nullptr
          ? std::getenv("ORACLE")
          : (fs::path(SOULSTONE_SOURCE_DIR) / ".." / "shared" / "prisma-oracle" / "oracle").string();

  Fixture() {
    // The server runs as `postgres` when we are root: it must reach its folder.
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                    fs::perms::others_read | fs::perms::others_exec);
    (void)server.start();
    admin_url = server.conninfo().url();
    schema300 = dir.path() / "schema300.prisma";
    std::ofstream(schema300) << generated_schema(300, true);
    fs::path before = dir.path() / "before.prisma";
    std::ofstream(before) << generated_schema(300, false);
    auto admin = pg::Connection::open(server.conninfo());
    admin.exec("CREATE DATABASE bench300");
    url300 = server.conninfo("bench300").url();
    auto db = pg::Connection::open(server.conninfo("bench300"));
    db.exec(sql::render_script(
        migrate::diff({}, migrate::read_source({migrate::DiffSource::Kind::Schema, before.string()}, {}))));
  }
  ~Fixture() { server.stop(); }

  std::string ours(const migrate::DiffSource& from, const migrate::DiffSource& to) const {
    return sql::render_script(migrate::diff(migrate::read_source(from, {}), migrate::read_source(to, {}))) +
           "";
  }
  std::string theirs(std::vector<std::string> args) const {
    args.insert(args.begin(), {oracle, "diff"});
    args.insert(args.end(), {"--script", "--url", admin_url});
    pg::RunResult result = pg::run({.argv = args, .env = {}, .cwd = {}});
    if (result.status.code != 0 && result.status.code != 2)
      throw std::runtime_error("oracle failed: " + result.err);
    return result.out;
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

std::string newline(std::string text) { return text.empty() || text.back() != '\n' ? text + "\n" : text; }

void check_same(const std::string& what, const std::string& ours, const std::string& theirs) {
  if (newline(ours) != theirs) std::cerr << "WARNING: " << what << ": our script differs from the oracle's\n";
}

void BM_Soulstone_DiffUrlToSchema300(benchmark::State& state) {
  Fixture& f = fixture();
  migrate::DiffSource from{migrate::DiffSource::Kind::Url, f.url300};
  migrate::DiffSource to{migrate::DiffSource::Kind::Schema, f.schema300.string()};
  for (auto _ : state)
    benchmark::DoNotOptimize(f.ours(from, to));
}

void BM_Oracle_DiffUrlToSchema300(benchmark::State& state) {
  Fixture& f = fixture();
  // The oracle's "db" target is the database at --url.
  auto args = [&] {
    return std::vector<std::string>{"--from",   "db",    "--to",  "schema:" + f.schema300.string(),
                                    "--script", "--url", f.url300};
  };
  std::string theirs;
  for (auto _ : state) {
    std::vector<std::string> argv{f.oracle, "diff"};
    for (auto& a : args())
      argv.push_back(a);
    pg::RunResult result = pg::run({.argv = argv, .env = {}, .cwd = {}});
    theirs = result.out;
  }
  check_same("url to schema (300 tables)",
             f.ours({migrate::DiffSource::Kind::Url, f.url300},
                    {migrate::DiffSource::Kind::Schema, f.schema300.string()}),
             theirs);
}

void BM_Soulstone_FromEmptySoulstoneSchema(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state)
    benchmark::DoNotOptimize(f.ours({}, {migrate::DiffSource::Kind::Schema, f.soulstone_schema.string()}));
}

void BM_Oracle_FromEmptySoulstoneSchema(benchmark::State& state) {
  Fixture& f = fixture();
  std::string theirs;
  for (auto _ : state)
    theirs = f.theirs({"--from", "empty", "--to", "schema:" + f.soulstone_schema.string()});
  check_same("from empty (Soulstone schema)",
             f.ours({}, {migrate::DiffSource::Kind::Schema, f.soulstone_schema.string()}), theirs);
}

BENCHMARK(BM_Soulstone_DiffUrlToSchema300)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Oracle_DiffUrlToSchema300)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Soulstone_FromEmptySoulstoneSchema)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Oracle_FromEmptySoulstoneSchema)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace soulstone

int main(int argc, char** argv) {
  return soulstone::bench::run_with_ratios(
      argc, argv,
      {{"BM_Soulstone_DiffUrlToSchema300/min_time:1.000", "BM_Oracle_DiffUrlToSchema300/iterations:3"},
       {"BM_Soulstone_FromEmptySoulstoneSchema/min_time:1.000",
        "BM_Oracle_FromEmptySoulstoneSchema/iterations:3"}});
}
