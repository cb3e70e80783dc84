// Load on the agent's /metrics with wrk (Debian's), bounded in time: our
// hardened server (own request-head reader, limits, fairness) against the
// anchor, cpp-httplib's stock server, both rendering the same metrics
// registry per request on the same port setup. Prints wrk's figures for
// each and the ratios (ours / anchor).
//
//   build/bench/bench_agent_http [seconds=10] [connections=8]
#include <httplib.h>

#include <array>
#include <cstdio>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "agent/agent_metrics.hpp"
#include "agent/http_server.hpp"
#include "pg/subprocess.hpp"
#include "schedule/clock.hpp"

namespace {

using namespace soulstone;

struct WrkFigures {
  double requests_per_second = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0;
  long long requests = 0;
  long long errors = 0;  // socket errors and non-2xx answers
};

double to_us(double value, const std::string& unit) {
  if (unit == "us") return value;
  if (unit == "ms") return value * 1000;
  if (unit == "s") return value * 1'000'000;
  return value;
}

WrkFigures run_wrk(int port, int seconds, int connections) {
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
  pg::RunResult result = pg::run({.argv = {"wrk", "--latency", "-t2", "-c" + std::to_string(connections),
                                           "-d" + std::to_string(seconds) + "s", "--timeout", "2s", url}},
                                 {.timeout = std::chrono::seconds(seconds + 30)});
  if (!result.status.ok()) {
    std::fprintf(stderr, "wrk failed: %s\n%s", result.status.describe().c_str(), result.err.c_str());
    std::exit(1);
  }
  std::fputs(result.out.c_str(), stdout);
  WrkFigures figures;
  std::smatch m;
  auto percentile = [&](const char* which) {
    std::regex re(std::string("\\s") + which + "%\\s+([0-9.]+)(us|ms|s)");
    return std::regex_search(result.out, m, re) ? to_us(std::stod(m[1]), m[2]) : 0.0;
  };
  figures.p50_us = percentile("50");
  figures.p90_us = percentile("90");
  figures.p99_us = percentile("99");
  if (std::regex_search(result.out, m, std::regex("Requests/sec:\\s+([0-9.]+)")))
    figures.requests_per_second = std::stod(m[1]);
  if (std::regex_search(result.out, m, std::regex("([0-9]+) requests in"))) figures.requests = std::stoll(m[1]);
  if (std::regex_search(result.out, m,
                        std::regex("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")))
    for (int i = 1; i <= 4; ++i)
      figures.errors += std::stoll(m[i]);
  if (std::regex_search(result.out, m, std::regex("Non-2xx or 3xx responses: ([0-9]+)")))
    figures.errors += std::stoll(m[1]);
  return figures;
}

// A registry shaped like a running agent's: four jobs with runs, the HTTP
// counters, and the samples of a backup, prune, check and drill.
void fill(agent::AgentMetrics& metrics) {
  const std::string store = "s3://soulstone-backups/prod";
  for (const char* job : {"backup", "prune", "check", "drill"}) {
    metrics.job_started(job);
    metrics.job_finished(job, schedule::Outcome::Succeeded, std::chrono::seconds(42));
    metrics.job_scheduled(job, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
  auto gauge = [&](const std::string& name, double value) {
    return monitor::Sample{.name = name, .help = "A figure of the last run.", .value = value,
                           .labels = {{"store", store}}};
  };
  metrics.set_samples("backup", {gauge("soulstone_backup_last_status", 1),
                                 gauge("soulstone_backup_duration_seconds", 312.5),
                                 gauge("soulstone_backup_size_bytes", 7.3e9),
                                 gauge("soulstone_backup_rows_total", 4.2e7)});
  metrics.set_samples("catalog", {gauge("soulstone_backup_last_success_timestamp_seconds", 1.79e9)});
  metrics.set_samples("prune", {gauge("soulstone_prune_last_status", 1), gauge("soulstone_prune_kept_backups", 45),
                                gauge("soulstone_prune_deleted_backups", 1)});
  metrics.set_samples("check", {gauge("soulstone_check_last_status", 1),
                                gauge("soulstone_check_latest_age_seconds", 3600)});
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 8;
  schedule::SystemClock clock;
  agent::AgentMetrics metrics(clock, {"backup", "prune", "check", "drill"}, {"index", "healthz", "readyz", "metrics"});
  fill(metrics);

  agent::HttpServer ours({}, {.answered = [&](const std::string& route, int status) {
                               metrics.http_request(route, status);
                             }});
  ours.route("/metrics", "metrics", [&](const agent::HttpRequest&) {
    return agent::HttpResponse{.content_type = "text/plain; version=0.0.4; charset=utf-8", .body = metrics.render()};
  });
  int our_port = ours.listen({"127.0.0.1", 0});

  // The anchor: httplib's own server, 8 threads like ours, and as many
  // requests per kept-alive connection (its default, 5, would make wrk
  // reconnect all the time and flatter nothing).
  httplib::Server anchor;
  anchor.new_task_queue = [] { return new httplib::ThreadPool(8); };
  anchor.set_keep_alive_max_count(1000);
  anchor.Get("/metrics", [&](const httplib::Request&, httplib::Response& response) {
    metrics.http_request("metrics", 200);
    response.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  int anchor_port = anchor.bind_to_any_port("127.0.0.1");
  std::thread anchor_thread([&] { anchor.listen_after_bind(); });
  while (!anchor.is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::printf("/metrics body: %zu bytes; wrk -t2 -c%d -d%ds\n\n== ours (soulstone agent HTTP server)\n",
              metrics.render().size(), connections, seconds);
  WrkFigures mine = run_wrk(our_port, seconds, connections);
  std::printf("\n== anchor (cpp-httplib stock server)\n");
  WrkFigures theirs = run_wrk(anchor_port, seconds, connections);
  anchor.stop();
  anchor_thread.join();
  ours.stop();

  std::printf("\n%-8s %12s %10s %10s %10s %8s\n", "", "req/s", "p50 us", "p90 us", "p99 us", "errors");
  for (auto [name, f] : std::array<std::pair<const char*, WrkFigures>, 2>{{{"ours", mine}, {"anchor", theirs}}})
    std::printf("%-8s %12.0f %10.0f %10.0f %10.0f %8lld\n", name, f.requests_per_second, f.p50_us, f.p90_us,
                f.p99_us, f.errors);
  std::printf("ratio ours/anchor: throughput = %.3f, p50 = %.3f, p99 = %.3f\n",
              mine.requests_per_second / theirs.requests_per_second, mine.p50_us / theirs.p50_us,
              mine.p99_us / theirs.p99_us);
  return mine.errors == 0 ? 0 : 1;
}
