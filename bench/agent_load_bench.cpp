// Load on the agent with wrk (Debian's), bounded in time (issue 9, point 3):
// `soulstone agent --serve-only` on a throw-away embedded PostgreSQL that
// `soulstone migrate deploy` and `soulstone db seed` filled, with wrk
// against /api/products (behind its bearer token) and /metrics on loopback.
// The anchor is cpp-httplib's stock server, in this process, answering the
// same endpoints with the same libraries (src/api's ReadApi on the same
// database, a metrics registry rendered per request), 8 threads and
// kept-alive connections like ours: the ratio is the cost of our hardened
// server. Exits 1 when wrk saw any error or non-2xx answer.
//
//   build/bench/bench_agent_load [seconds=10] [connections=8] [seed scale=1]

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include "agent/agent_metrics.hpp"
#include "api/read_api.hpp"
#include "base/temp_dir.hpp"
#include "pg/embedded.hpp"
#include "pg/subprocess.hpp"
#include "schedule/clock.hpp"
#include "soulstone_cli.hpp"

namespace {

using namespace soulstone;

const std::string kToken = "bench-token-0123456789abcdef0123456789abcdef";
const std::string kSchema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";

struct WrkFigures {
  double requests_per_second = 0;
  double p50_us = 0, p90_us = 0, p99_us = 0;
  long long requests = 0;
  long long errors = 0;  // socket errors and non-2xx answers
};

double to_us(double value, const std::string& unit) {
  if (unit == "ms") return value * 1000;
  if (unit == "s") return value * 1'000'000;
  return value;
}

WrkFigures run_wrk(int port, const std::string& path, int seconds, int connections) {
  std::vector<std::string> argv = {"wrk",
                                   "--latency",
                                   "-t2",
                                   "-c" + std::to_string(connections),
                                   "-d" + std::to_string(seconds) + "s",
                                   "--timeout",
                                   "2s"};
  if (path.rfind("/api/", 0) == 0) {
    argv.push_back("-H");
    argv.push_back("Authorization: Bearer " + kToken);
  }
  argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
  pg::RunResult result = pg::run({.argv = argv}, {.timeout = std::chrono::seconds(seconds + 30)});
  if (!result.status.ok())
    throw std::runtime_error("wrk failed: " + result.status.describe() + "\n" + result.err);
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
  if (std::regex_search(result.out, m, std::regex("([0-9]+) requests in")))
    figures.requests = std::stoll(m[1]);
  if (std::regex_search(
          result.out, m,
          std::regex("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")))
    for (int i = 1; i <= 4; ++i)
      figures.errors += std::stoll(m[i]);
  if (std::regex_search(result.out, m, std::regex("Non-2xx or 3xx responses: ([0-9]+)")))
    figures.errors += std::stoll(m[1]);
  return figures;
}

bool answers(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

// The anchor's /metrics: a registry shaped like a running agent's.
void fill(agent::AgentMetrics& metrics) {
  for (const char* job : {"backup", "prune", "check", "drill"}) {
    metrics.job_started(job);
    metrics.job_finished(job, schedule::Outcome::Succeeded, std::chrono::seconds(42));
    metrics.job_scheduled(job, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
    const int connections = argc > 2 ? std::atoi(argv[2]) : 8;
    const std::string scale = argc > 3 ? argv[3] : "1";

    TempDir folder("soulstone-bench-agent-");
    ::chmod(folder.path().c_str(), 0755);  // the embedded server may run as another account
    pg::EmbeddedServer server(pg::EmbeddedOptions{.dir = folder.path() / "pg", .ephemeral = true});
    server.start();
    pg::ConnInfo database = server.conninfo("postgres");
    bench::run_soulstone(database, {"migrate", "deploy", "--schema", kSchema});
    bench::run_soulstone(database, {"db", "seed", "--schema", kSchema, "--scale", scale});

    // Ours: the real binary, as deployed.
    const int port = pg::find_free_port();
    pg::Child agent = pg::spawn(
        {.argv = {SOULSTONE_BINARY, "agent", "--serve-only", "--listen", "127.0.0.1:" + std::to_string(port)},
         .env = {{"DATABASE_URL", database.url()}, {"SOULSTONE_API_TOKEN", kToken}},
         .cwd = folder.path()},
        {.in = pg::Stdio::Null, .out = pg::Stdio::Null, .err = pg::Stdio::Inherit});
    for (int i = 0; i < 200 && !answers(port); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));

    // The anchor: httplib's stock server with the same handlers.
    api::ReadApi read_api({.database = database, .token = kToken, .max_connections = 8});
    schedule::SystemClock clock;
    agent::AgentMetrics metrics(clock, {"backup", "prune", "check", "drill"}, {"metrics", "api_products"});
    fill(metrics);
    httplib::Server anchor;
    anchor.new_task_queue = [] { return new httplib::ThreadPool(8); };
    anchor.set_keep_alive_max_count(1000);  // its default, 5, would make wrk reconnect all the time
    // Without TCP_NODELAY (httplib's default) every answer waits ~40 ms for
    // Nagle and delayed ACKs; ours sets it, so the anchor gets it too.
    anchor.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    });
    anchor.Get("/metrics", [&](const httplib::Request&, httplib::Response& response) {
      metrics.http_request("metrics", 200);
      response.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    anchor.Get("/api/products", [&](const httplib::Request& request, httplib::Response& response) {
      api::Response answer = read_api.handle(
          {.path = request.path, .params = {}, .authorization = request.get_header_value("Authorization")});
      metrics.http_request("api_products", answer.status);
      response.status = answer.status;
      response.set_content(answer.body, "application/json");
    });
    int anchor_port = anchor.bind_to_any_port("127.0.0.1");
    std::thread anchor_thread([&] { anchor.listen_after_bind(); });
    while (!anchor.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));

    std::printf("seed scale %s; wrk -t2 -c%d -d%ds --latency --timeout 2s\n", scale.c_str(), connections,
                seconds);
    struct Row {
      std::string what;
      WrkFigures figures;
    };
    std::vector<Row> rows;
    for (const char* path : {"/api/products", "/metrics"}) {
      std::printf("\n== ours: soulstone agent --serve-only, GET %s\n", path);
      rows.push_back({std::string("ours   ") + path, run_wrk(port, path, seconds, connections)});
      std::printf("\n== anchor: cpp-httplib stock server, GET %s\n", path);
      rows.push_back({std::string("anchor ") + path, run_wrk(anchor_port, path, seconds, connections)});
    }
    anchor.stop();
    anchor_thread.join();
    agent.kill(SIGTERM);
    (void)agent.wait();
    server.stop();

    std::printf("\n%-22s %10s %10s %10s %10s %10s %8s\n", "", "req/s", "requests", "p50 us", "p90 us",
                "p99 us", "errors");
    long long errors = 0;
    for (const Row& row : rows) {
      const WrkFigures& f = row.figures;
      std::printf("%-22s %10.0f %10lld %10.0f %10.0f %10.0f %8lld\n", row.what.c_str(), f.requests_per_second,
                  f.requests, f.p50_us, f.p90_us, f.p99_us, f.errors);
      errors += f.errors;
    }
    for (std::size_t i = 0; i + 1 < rows.size(); i += 2)
      std::printf("ratio ours/anchor %-14s throughput %.2f, p50 %.2f, p99 %.2f\n",
                  rows[i].what.substr(7).c_str(),
                  rows[i].figures.requests_per_second / rows[i + 1].figures.requests_per_second,
                  rows[i].figures.p50_us / rows[i + 1].figures.p50_us,
                  rows[i].figures.p99_us / rows[i + 1].figures.p99_us);
    return errors == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_agent_load: %s\n", error.what());
    return 1;
  }
}
