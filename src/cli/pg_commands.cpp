// soulstone pg start|stop|status|url: the embedded PostgreSQL.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace soulstone::cli {

namespace {

nlohmann::json status_json(const pg::EmbeddedServer& server, const pg::ServerStatus& status) {
  nlohmann::json document = {{"initialized", status.initialized},
                             {"running", status.running},
                             {"port", status.port},
                             {"data_dir", status.data_dir.string()},
                             {"log_file", status.log_file.string()}};
  if (status.running) {
    document["pid"] = status.pid;
    document["url"] = server.conninfo().redacted();
  }
  return document;
}

void print_status(const pg::EmbeddedServer& server, const pg::ServerStatus& status, bool json) {
  if (json) return print_json(status_json(server, status));
  std::cout << "embedded PostgreSQL: " << (status.running ? "running" : "stopped") << '\n';
  if (status.running) {
    std::cout << "  url:  " << server.conninfo().redacted() << '\n';
    std::cout << "  pid:  " << status.pid << '\n';
  }
  std::cout << "  data: " << status.data_dir.string() << (status.initialized ? "" : " (not initialised)")
            << '\n';
  std::cout << "  log:  " << status.log_file.string() << '\n';
}

}  // namespace

void register_pg_commands(CLI::App& root, Context& context) {
  CLI::App* group =
      root.add_subcommand("pg", "The embedded PostgreSQL that every command uses when DATABASE_URL is unset");
  group->require_subcommand(1);

  group->add_subcommand("start", "Initialise (first time) and start the embedded server; idempotent")
      ->callback([&context] {
        pg::EmbeddedServer server = context.embedded();
        pg::ServerStatus status = server.start();
        if (context.json) return print_json(status_json(server, status));
        std::cout << "embedded PostgreSQL running at " << server.conninfo().redacted() << " (pid "
                  << status.pid << ")\n";
      });

  group->add_subcommand("stop", "Stop the embedded server (fast shutdown); a stopped server is a no-op")
      ->callback([&context] {
        pg::EmbeddedServer server = context.embedded();
        bool was_running = server.status().running;
        server.stop();
        if (context.json) return print_json({{"stopped", true}, {"was_running", was_running}});
        std::cout << (was_running ? "embedded PostgreSQL stopped\n"
                                  : "embedded PostgreSQL was not running\n");
      });

  group
      ->add_subcommand("status",
                       "Show whether the embedded server runs, its URL and folders (exit 1 when stopped)")
      ->callback([&context] {
        pg::EmbeddedServer server = context.embedded();
        pg::ServerStatus status = server.status();
        print_status(server, status, context.json);
        if (!status.running)
          throw Error(ErrorKind::Failure, "the embedded PostgreSQL is not running",
                      "start it with `soulstone pg start`");
      });

  group->add_subcommand("url", "Print the connection URL of the running embedded server")
      ->callback([&context] {
        pg::ConnInfo info = context.embedded().conninfo();
        if (context.json) return print_json({{"url", info.url()}});
        // The embedded server trusts loopback connections: there is no password to hide.
        std::cout << info.url() << '\n';
      });
}

}  // namespace soulstone::cli
