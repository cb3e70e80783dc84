// Parsing and validating a generated 1,000-model schema: soulstone against
// Prisma's own validator on the same file, in one run.
//
//   - ours: psl::check (parse + every validation rule), in-process;
//   - Prisma in node: prisma-schema-wasm's validate(), timed inside node
//     after a warm-up (bench/prisma_validate_timer.mjs), so node's start-up
//     and the WebAssembly load are excluded;
//   - Prisma as a command: `oracle validate` on the schema minus `oracle
//     validate` on a one-model schema, run in pairs, which subtracts node's
//     start-up the other way.
//
//   build/bench/bench_psl     (needs node and scripts/bootstrap's .deps/npm;
//                              PSL_BENCH_MODELS overrides 1000, ORACLE the oracle)

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/temp_dir.hpp"
#include "pg/subprocess.hpp"
#include "psl/psl.hpp"
#include "ratio_main.hpp"

namespace soulstone {
namespace {

namespace fs = std::filesystem;

// Models shaped like a shop's: native types, defaults, an enum, a relation
// to the previous model (and its back-relation), indexes and mapped names.
std::string generated_schema(int models) {
  std::ostringstream out;
  out << "datasource db {\n  provider = \"postgresql\"\n}\n\ngenerator client {\n  provider = "
         "\"prisma-client-js\"\n}\n";
  for (int e = 0; e < 10; ++e)
    out << "\nenum Status" << e << " {\n  ACTIVE\n  PAUSED @map(\"paused\")\n  CLOSED\n}\n";
  for (int i = 0; i < models; ++i) {
    std::string name = "Model" + std::to_string(i);
    out << "\n/// Generated model " << i << ".\nmodel " << name << " {\n"
        << "  id        String    @id @default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid\n"
        << "  code      String    @unique @db.VarChar(64)\n"
        << "  /// @pii(name)\n"
        << "  name      String    @db.VarChar(200)\n"
        << "  amount    Decimal   @default(0) @db.Decimal(12, 2)\n"
        << "  quantity  Int       @default(1) @db.SmallInt\n"
        << "  total     BigInt    @default(0)\n"
        << "  status    Status" << i % 10 << "   @default(ACTIVE)\n"
        << "  tags      String[]  @default([])\n"
        << "  payload   Json?\n"
        << "  createdAt DateTime  @default(now()) @map(\"created_at\") @db.Timestamptz(6)\n"
        << "  updatedAt DateTime  @updatedAt @map(\"updated_at\") @db.Timestamptz(6)\n";
    if (i > 0) {
      out << "  parentId  String?   @map(\"parent_id\") @db.Uuid\n"
          << "  parent    Model" << i - 1
          << "?   @relation(fields: [parentId], references: [id], onDelete: SetNull)\n";
    }
    if (i + 1 < models) out << "  children  Model" << i + 1 << "[]\n";
    out << "\n  @@unique([name, code])\n  @@index([status, createdAt(sort: Desc)])\n  @@map(\"model_" << i
        << "\")\n}\n";
  }
  return out.str();
}

int model_count() {
  const char* value = std::getenv("PSL_BENCH_MODELS");
  return value != nullptr ? std::atoi(value) : 1000;
}

struct Fixture {
  TempDir dir{"psl-bench"};
  fs::path schema = dir.path() / "generated.prisma";
  fs::path trivial = dir.path() / "trivial.prisma";
  std::string text = generated_schema(model_count());
  std::string oracle;
  fs::path npm = fs::path(SOULSTONE_SOURCE_DIR) / ".deps" / "npm";

  Fixture() {
    std::ofstream(schema) << text;
    std::ofstream(trivial)
        << "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel A {\n  id Int @id\n}\n";
    const char* env = std::getenv("ORACLE");
    oracle = env != nullptr
                 ? env
                 : (fs::path(SOULSTONE_SOURCE_DIR) / ".." / "shared" / "prisma-oracle" / "oracle").string();
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_Soulstone_ParseAndValidate(benchmark::State& state) {
  const std::string& text = fixture().text;
  for (auto _ : state) {
    psl::Checked checked = psl::check({{"generated.prisma", text}});
    if (!checked.ok()) {
      state.SkipWithError(psl::render(checked.schema, checked.diagnostics.front()).c_str());
      return;
    }
    benchmark::DoNotOptimize(checked);
  }
  state.counters["models"] = static_cast<double>(model_count());
  state.counters["bytes"] = static_cast<double>(text.size());
}

// Prisma's validate() timed inside node: each iteration replays one of the
// runs node measured (manual time), all taken in this process's run.
void BM_Prisma_ValidateInNode(benchmark::State& state) {
  Fixture& f = fixture();
  fs::path timer = fs::path(SOULSTONE_SOURCE_DIR) / "bench" / "prisma_validate_timer.mjs";
  auto result = pg::run({.argv = {"node", timer.string(), f.npm.string(), f.schema.string(), "10"}});
  if (result.status.code != 0) {
    state.SkipWithError(("node failed (run scripts/bootstrap for .deps/npm): " + result.err).c_str());
    return;
  }
  auto document = nlohmann::json::parse(result.out);
  if (document["verdict"] != "valid") {
    state.SkipWithError(
        ("Prisma rejects the generated schema: " + document["verdict"].get<std::string>()).c_str());
    return;
  }
  std::vector<double> seconds;
  for (const auto& ns : document["nanoseconds"])
    seconds.push_back(ns.get<double>() / 1e9);
  std::size_t next = 0;
  for (auto _ : state) {
    state.SetIterationTime(seconds[next++ % seconds.size()]);
  }
}

double run_seconds(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto result = pg::run({.argv = argv});
  auto end = std::chrono::steady_clock::now();
  if (result.status.code != 0) throw std::runtime_error("oracle failed: " + result.out + result.err);
  return std::chrono::duration<double>(end - start).count();
}

// `oracle validate` on the schema minus `oracle validate` on a trivial one,
// measured back to back in each iteration.
void BM_Prisma_OracleCommandMinusStartup(benchmark::State& state) {
  Fixture& f = fixture();
  try {
    (void)run_seconds({f.oracle, "validate", f.trivial.string()});  // installs and warms the cache
    for (auto _ : state) {
      double trivial = run_seconds({f.oracle, "validate", f.trivial.string()});
      double full = run_seconds({f.oracle, "validate", f.schema.string()});
      state.SetIterationTime(std::max(full - trivial, 0.0));
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
  }
}

BENCHMARK(BM_Soulstone_ParseAndValidate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Prisma_ValidateInNode)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(10);
BENCHMARK(BM_Prisma_OracleCommandMinusStartup)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(5);

}  // namespace
}  // namespace soulstone

int main(int argc, char** argv) {
  // Names as Google Benchmark reports them (run_with_ratios matches exactly):
  // MinTime(2.0) and Iterations(n) become part of the name.
  const std::string ours = "BM_Soulstone_ParseAndValidate/min_time:2.000";
  return soulstone::bench::run_with_ratios(
      argc, argv,
      {{ours, "BM_Prisma_ValidateInNode/iterations:10/manual_time"},
       {ours, "BM_Prisma_OracleCommandMinusStartup/iterations:5/manual_time"}});
}
