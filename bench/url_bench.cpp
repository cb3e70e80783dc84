// Connection-string handling: ConnInfo::parse + redacted() against the anchor,
// libpq's bare PQconninfoParse. Our parse is a thin layer over libpq's, so
// the ratio shows what the layer (a map, and redaction) costs per call.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>

#include "pg/url.hpp"
#include "ratio_main.hpp"

namespace {

const char* kUrl =
    "postgresql://shop:s3cret@db.internal.example.com:6432/soulstone?sslmode=require&application_name=api";

void BM_Anchor_PQconninfoParse(benchmark::State& state) {
  for (auto _ : state) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(kUrl, &error);
    benchmark::DoNotOptimize(options);
    PQconninfoFree(options);
  }
}
BENCHMARK(BM_Anchor_PQconninfoParse);

void BM_Soulstone_ParseAndRedact(benchmark::State& state) {
  for (auto _ : state) {
    auto info = soulstone::pg::ConnInfo::parse(kUrl);
    benchmark::DoNotOptimize(info.redacted());
  }
}
BENCHMARK(BM_Soulstone_ParseAndRedact);

}  // namespace

int main(int argc, char** argv) {
  return soulstone::bench::run_with_ratios(argc, argv,
                                           {{"BM_Soulstone_ParseAndRedact", "BM_Anchor_PQconninfoParse"}});
}
