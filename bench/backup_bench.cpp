// The backup pipeline against the guide's nightly job, on the same database
// in one run (issue 6's measure):
//   floor:     pg_dump --format=custom --compress=0 > /dev/null
//   guide:     pg_dump --format=custom -f FILE            (default gzip)
//   ours:      write_archive into an atomic file (pg_dump --compress=0, walk, zstd -T2)
//   guide, S3: pg_dump --format=custom -f FILE, then aws s3 cp FILE s3://...   (to s3rver)
//   stream, S3: pg_dump --compress=0 | zstd -T2 | aws s3 cp - s3://...  (stock tools, no
//              checksums, walk or manifest: the leanest stream the same parts allow)
//   ours, S3:  the soulstone binary: backup run into s3://... (to the same s3rver),
//              streamed, manifest included; its peak RSS is measured (wait4)
// The database is the Soulstone schema (migrate deploy) filled by `soulstone db
// seed` in a throw-away embedded server, at the seed scale that makes it at
// least SOULSTONE_BENCH_MB megabytes (default 1024).
// One round by default; `--benchmark_repetitions=3
// --benchmark_enable_random_interleaving=true` runs three rounds with the
// contenders taking turns, and the ratios then compare medians.
#include <benchmark/benchmark.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "archive/file_sink.hpp"
#include "archive/pipeline.hpp"
#include "archive/zstd_sink.hpp"
#include "base/temp_dir.hpp"
#include "measured_child.hpp"
#include "pg/connection.hpp"
#include "pg/embedded.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "ratio_main.hpp"
#include "s3rver.hpp"
#include "soulstone_cli.hpp"

namespace {

using namespace soulstone;

const std::string kSchema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";

struct Fixture {
  TempDir folder{"soulstone-bench-backup-"};
  std::unique_ptr<pg::EmbeddedServer> server;
  pg::ConnInfo database;
  std::uint64_t database_bytes = 0;
  double seed_scale = 0;
  std::unique_ptr<soulstone::testing::S3rver> s3;

  Fixture() {
    ::chmod(folder.path().c_str(), 0755);
    server = std::make_unique<pg::EmbeddedServer>(
        pg::EmbeddedOptions{.dir = folder.path() / "pg", .ephemeral = true});
    server->start();
    database = server->conninfo("postgres");
    auto db = pg::Connection::open(database);
    const char* env = std::getenv("SOULSTONE_BENCH_MB");
    const long target_mb = env != nullptr ? std::atol(env) : 1024;
    bench::run_soulstone(database, {"migrate", "deploy", "--schema", kSchema});
    // About 14.7 MB of database per unit of seed scale; grow until the target is met.
    double scale = std::max(1.0, static_cast<double>(target_mb) / 14.5);
    for (;;) {
      bench::run_soulstone(database, {"db", "seed", "--schema", kSchema, "--scale", std::to_string(scale)});
      database_bytes =
          std::stoull(std::string(db.exec("SELECT pg_database_size(current_database())").get(0, 0)));
      if (database_bytes >= static_cast<std::uint64_t>(target_mb) << 20) break;
      scale *= 1.05 * static_cast<double>(static_cast<std::uint64_t>(target_mb) << 20) /
               static_cast<double>(database_bytes);
    }
    seed_scale = scale;
    db.exec("VACUUM (FREEZE, ANALYZE)");
    // One unmeasured dump, so every contender reads a warm cache.
    (void)pg::run({.argv = {pg::tool_path("pg_dump"), "--format=custom", "--compress=0", "--file=/dev/null",
                            "--dbname=" + database.url()}});
    s3 = std::make_unique<soulstone::testing::S3rver>("bench-backups");
  }
  ~Fixture() {
    s3.reset();
    server->stop();
  }
};

Fixture& fixture() {
  static Fixture instance;
  return instance;
}

double megabytes(const std::filesystem::path& path) {
  return static_cast<double>(std::filesystem::file_size(path)) / (1 << 20);
}

void BM_Floor_PgDumpUncompressedToDevNull(benchmark::State& state) {
  for (auto _ : state) {
    pg::Child child = pg::spawn({.argv = {pg::tool_path("pg_dump"), "--format=custom", "--compress=0",
                                          "--dbname=" + fixture().database.url()}},
                                {.out = pg::Stdio::Null, .err = pg::Stdio::Inherit});
    if (!child.wait().ok()) state.SkipWithError("pg_dump failed");
  }
  state.counters["db_MB"] = static_cast<double>(fixture().database_bytes >> 20);
  state.counters["seed_scale"] = fixture().seed_scale;
}

void BM_Guide_PgDumpCustomGzipToFile(benchmark::State& state) {
  auto file = fixture().folder.path() / "guide.dump";
  for (auto _ : state) {
    auto result = pg::run({.argv = {pg::tool_path("pg_dump"), "--format=custom", "--file=" + file.string(),
                                    "--dbname=" + fixture().database.url()}});
    if (!result.status.ok()) state.SkipWithError("pg_dump failed");
  }
  state.counters["stored_MB"] = megabytes(file);
}

void BM_Soulstone_PipelineZstdToFile(benchmark::State& state) {
  auto file = fixture().folder.path() / "ours.dump.zst";
  for (auto _ : state) {
    archive::AtomicFileSink sink(file);
    (void)archive::write_archive(fixture().database, sink, {});
  }
  state.counters["stored_MB"] = megabytes(file);
}

// The mean size of the archives under `prefix` (one per repetition), by aws.
double stored_megabytes(const std::string& prefix) {
  auto ls = pg::run(fixture().s3->aws({"s3", "ls", "--recursive", "s3://bench-backups/" + prefix + "/"}));
  double bytes = 0;
  int archives = 0;
  std::istringstream lines(ls.out);
  for (std::string date, time, size, key; lines >> date >> time >> size >> key;)
    if (key.find(".manifest.json") == std::string::npos && key.find(".lock") == std::string::npos) {
      bytes += std::stod(size);
      ++archives;
    }
  return archives == 0 ? 0 : bytes / archives / (1 << 20);
}

double g_guide_s3_mb = 0, g_ours_s3_mb = 0, g_stream_s3_mb = 0;
long g_ours_s3_peak_kb = 0;

void BM_Guide_PgDumpThenAwsS3Cp(benchmark::State& state) {
  auto file = fixture().folder.path() / "guide-s3.dump";
  int round = 0;
  for (auto _ : state) {
    auto dump = pg::run({.argv = {pg::tool_path("pg_dump"), "--format=custom", "--file=" + file.string(),
                                  "--dbname=" + fixture().database.url()}});
    auto copy = pg::run(fixture().s3->aws({"s3", "cp", file.string(),
                                           "s3://bench-backups/guide/" + std::to_string(round++) + ".dump",
                                           "--only-show-errors"}));
    if (!dump.status.ok() || !copy.status.ok()) state.SkipWithError("pg_dump or aws s3 cp failed");
  }
  g_guide_s3_mb = megabytes(file);
  state.counters["stored_MB"] = g_guide_s3_mb;
}

void BM_Stream_PgDumpZstdAwsS3CpStdin(benchmark::State& state) {
  int round = 0;
  for (auto _ : state) {
    pg::Command upload = fixture().s3->aws(
        {"s3", "cp", "-", "s3://bench-backups/stream/" + std::to_string(round++) + ".dump.zst",
         "--only-show-errors"});
    bench::MeasuredChild outcome = bench::run_pipeline(
        {{.argv = {pg::tool_path("pg_dump"), "--format=custom", "--compress=0",
                   "--dbname=" + fixture().database.url()}},
         {.argv = {"zstd", "-q", "-T2", "-" + std::to_string(archive::kDefaultZstdLevel)}},
         upload});
    if (!outcome.ok) state.SkipWithError("pg_dump | zstd | aws s3 cp - failed");
  }
  g_stream_s3_mb = stored_megabytes("stream");
  state.counters["stored_MB"] = g_stream_s3_mb;
}

void BM_Soulstone_BackupRunToS3(benchmark::State& state) {
  pg::Command command{.argv = {SOULSTONE_BINARY, "backup", "run", "--store", "s3://bench-backups/ours",
                               "--endpoint", fixture().s3->endpoint()},
                      .env = fixture().s3->client_env()};
  command.env.emplace_back("DATABASE_URL", fixture().database.url());
  for (auto _ : state) {
    bench::MeasuredChild outcome = bench::run_measured(command);
    if (!outcome.ok) state.SkipWithError("soulstone backup run failed");
    g_ours_s3_peak_kb = std::max(g_ours_s3_peak_kb, outcome.peak_rss_kb);
  }
  g_ours_s3_mb = stored_megabytes("ours");
  state.counters["stored_MB"] = g_ours_s3_mb;
  state.counters["peak_RSS_MB"] = static_cast<double>(g_ours_s3_peak_kb) / 1024;
}

BENCHMARK(BM_Floor_PgDumpUncompressedToDevNull)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Guide_PgDumpCustomGzipToFile)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Soulstone_PipelineZstdToFile)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Guide_PgDumpThenAwsS3Cp)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Stream_PgDumpZstdAwsS3CpStdin)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Soulstone_BackupRunToS3)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  (void)fixture();  // generate the database before anything is timed
  int status =
      soulstone::bench::run_with_ratios(argc, argv,
                                        {{"BM_Soulstone_PipelineZstdToFile/iterations:1/real_time",
                                          "BM_Guide_PgDumpCustomGzipToFile/iterations:1/real_time"},
                                         {"BM_Soulstone_PipelineZstdToFile/iterations:1/real_time",
                                          "BM_Floor_PgDumpUncompressedToDevNull/iterations:1/real_time"},
                                         {"BM_Soulstone_BackupRunToS3/iterations:1/real_time",
                                          "BM_Guide_PgDumpThenAwsS3Cp/iterations:1/real_time"},
                                         {"BM_Soulstone_BackupRunToS3/iterations:1/real_time",
                                          "BM_Floor_PgDumpUncompressedToDevNull/iterations:1/real_time"},
                                         {"BM_Soulstone_BackupRunToS3/iterations:1/real_time",
                                          "BM_Stream_PgDumpZstdAwsS3CpStdin/iterations:1/real_time"}});
  if (g_guide_s3_mb > 0)
    std::printf("stored size ours S3 / guide S3 = %.3f  (%.1f MB / %.1f MB)\n", g_ours_s3_mb / g_guide_s3_mb,
                g_ours_s3_mb, g_guide_s3_mb);
  std::printf("peak RSS of soulstone backup run = %.1f MB\n", static_cast<double>(g_ours_s3_peak_kb) / 1024);
  return status;
}
