#include "archive/pg_dump_stream.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <exception>
#include <future>

#include "base/error.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"

namespace soulstone::archive {

namespace {

constexpr std::size_t kReadSize = 256 * 1024;

std::vector<TableStats> collect_stats(pg::Connection& connection) {
  // Plain and partition tables hold rows; partitioned parents do not, so
  // counting them too would count every row twice.
  pg::Result tables = connection.exec(
      "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
      "ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"");
  std::vector<TableStats> out;
  out.reserve(static_cast<std::size_t>(tables.rows()));
  for (int i = 0; i < tables.rows(); ++i) {
    TableStats stats{.schema = std::string(tables.get(i, 0)), .name = std::string(tables.get(i, 1))};
    std::string table =
        connection.quote_identifier(stats.schema) + "." + connection.quote_identifier(stats.name);
    pg::Result row = connection.exec(
        "SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM ONLY " + table + " t");
    stats.rows = std::stoll(std::string(row.get(0, 0)));
    stats.fingerprint = std::string(row.get(0, 1));
    out.push_back(std::move(stats));
  }
  return out;
}

// The connection string pg_dump gets on its command line: everything but
// the password, which goes through PGPASSWORD so `ps` never shows it.
pg::Command pg_dump_command(const pg::ConnInfo& database, const std::string& snapshot) {
  pg::ConnInfo without_password = database;
  without_password.erase("password");
  pg::Command command{.argv = {pg::tool_path("pg_dump"), "--format=custom", "--compress=0", "--no-password",
                               "--snapshot=" + snapshot, "--dbname=" + without_password.url()}};
  if (auto password = database.get("password")) command.env.emplace_back("PGPASSWORD", *password);
  return command;
}

std::string pg_dump_version() {
  pg::RunResult result = pg::run({.argv = {pg::tool_path("pg_dump"), "--version"}});
  std::string text = result.out;
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

}  // namespace

std::vector<TableStats> table_stats(const pg::ConnInfo& database) {
  pg::Connection connection = pg::Connection::open(database);
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return collect_stats(connection);
}

DumpResult dump_database(const pg::ConnInfo& database, ByteSink& sink, const DumpOptions& options) {
  DumpResult result;
  result.pg_dump_version = pg_dump_version();
  pg::Connection connection = pg::Connection::open(database);
  result.server_version = connection.server_version();
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::string snapshot(connection.exec("SELECT pg_export_snapshot()").get(0, 0));

  pg::Child dump =
      pg::spawn(pg_dump_command(database, snapshot), {.out = pg::Stdio::Pipe, .err = pg::Stdio::Pipe});
  // The statistics read every table once more; they run beside the dump, on
  // our connection, in the snapshot pg_dump imported.
  auto stats = std::async(std::launch::async, [&connection] { return collect_stats(connection); });

  std::string error_text;
  std::uint64_t streamed = 0;
  std::string buffer(kReadSize, '\0');
  try {
    while (dump.stdout_pipe().valid() || dump.stderr_pipe().valid()) {
      std::array<pollfd, 2> fds{pollfd{dump.stdout_pipe().get(), POLLIN, 0},
                                pollfd{dump.stderr_pipe().get(), POLLIN, 0}};
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw Error(ErrorKind::Failure, "poll: " + errno_text(errno));
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        ssize_t got = ::read(fds[i].fd, buffer.data(), buffer.size());
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) {
          (i == 0 ? dump.stdout_pipe() : dump.stderr_pipe()).reset();
          continue;
        }
        std::string_view piece(buffer.data(), static_cast<std::size_t>(got));
        if (i == 1) {
          error_text.append(piece);
          continue;
        }
        sink.write(piece);
        streamed += piece.size();
        if (options.progress) options.progress(streamed);
      }
    }
  } catch (...) {
    dump.kill(SIGKILL);  // the sink failed: stop pg_dump before anything else
    (void)dump.wait();
    try {
      (void)stats.get();
    } catch (...) {
    }
    throw;
  }
  pg::ExitStatus status = dump.wait();
  result.tables = stats.get();  // rethrows a statistics failure
  if (!status.ok()) {
    while (!error_text.empty() && error_text.back() == '\n')
      error_text.pop_back();
    throw Error(ErrorKind::ExternalTool,
                "pg_dump failed (" + status.describe() + "): " + pg::redact(error_text),
                "check the database URL and that pg_dump 15 can read every table");
  }
  sink.finish();
  return result;
}

}  // namespace soulstone::archive
