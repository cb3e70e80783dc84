#include "archive/pg_dump_stream.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <exception>
#include <future>
#include <vector>

#include "base/error.hpp"
#include "pg/connection.hpp"
#include "pg/subprocess.hpp"
#include "pg/tools.hpp"
#include "pg/user_tables.hpp"

namespace soulstone::archive {

namespace {

constexpr std::size_t kReadSize = 256 * 1024;

std::string pg_dump_version() {
  pg::RunResult result = pg::run({.argv = {pg::tool_path("pg_dump"), "--version"}});
  std::string text = result.out;
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

// Columns as pg_dump's COPY lists them: live, not generated, in order.
std::string copy_columns(pg::Connection& connection, const std::string& schema, const std::string& table) {
  pg::Result columns = connection.exec(
      "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 "
      "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
      {schema, table});
  std::string list;
  for (int i = 0; i < columns.rows(); ++i)
    list += (i == 0 ? "" : ", ") + connection.quote_identifier(columns.get(i, 0));
  return list;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> dump_session_env() { return {{"PGTZ", "UTC"}}; }

namespace {

// A session with pg_dump's settings (pg_dump.c, setup_connection), plus the
// time zone both sides get from PGTZ, in a read-only repeatable-read
// transaction: on the snapshot given, else its own.
pg::Connection stats_session(const pg::ConnInfo& database, const std::string& snapshot = {}) {
  pg::Connection connection = pg::Connection::open(database);
  connection.exec(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = "
      "'ISO'; "
      "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = "
      "'hex'");
  if (!snapshot.empty()) {
    // An id pg_export_snapshot() made (hex digits and dashes); the command takes no parameters.
    if (snapshot.find_first_not_of("0123456789ABCDEFabcdef-") != std::string::npos)
      throw Error(ErrorKind::Failure, "unexpected snapshot id " + snapshot);
    connection.exec("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
  }
  connection.exec(
      "SELECT set_config('client_encoding', pg_encoding_to_char(encoding), true) FROM pg_database "
      "WHERE datname = current_database()");
  return connection;
}

void read_table(pg::Connection& connection, TableStats& stats) {
  std::string columns = copy_columns(connection, stats.schema, stats.name);
  TableFingerprint fingerprint;
  if (!columns.empty()) {
    pg::CopyOut copy =
        connection.copy_out("COPY " + connection.quote_identifier(stats.schema) + "." +
                            connection.quote_identifier(stats.name) + " (" + columns + ") TO STDOUT");
    while (auto row = copy.next())
      fingerprint.add(*row);
  }
  fingerprint.finish();
  stats.rows = fingerprint.rows();
  stats.fingerprint = fingerprint.hex();
}

}  // namespace

std::vector<TableStats> table_stats(const pg::ConnInfo& database, int sessions) {
  pg::Connection first = stats_session(database);
  // Largest first, so that with several sessions the big tables start early
  // and the small ones fill in behind them.
  pg::Result tables = first.exec(
      std::string("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind = 'r' AND ") +
      pg::kUserSchemaCondition +
      " ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname COLLATE \"C\", c.relname COLLATE \"C\"");
  std::vector<TableStats> out;
  for (int i = 0; i < tables.rows(); ++i)
    out.push_back({.schema = std::string(tables.get(i, 0)), .name = std::string(tables.get(i, 1))});

  const int helpers = std::min(std::max(sessions, 1), static_cast<int>(out.size())) - 1;
  std::atomic<std::size_t> next{0};
  auto drain = [&](pg::Connection& connection) {
    for (std::size_t i = next++; i < out.size(); i = next++)
      read_table(connection, out[i]);
  };
  if (helpers <= 0) {
    drain(first);
  } else {
    // Every session reads the same snapshot, as one session would.
    std::string snapshot(first.exec("SELECT pg_export_snapshot()").get(0, 0));
    std::vector<std::future<void>> running;
    for (int h = 0; h < helpers; ++h)
      running.push_back(std::async(std::launch::async, [&] {
        pg::Connection connection = stats_session(database, snapshot);
        drain(connection);
      }));
    std::exception_ptr failure;
    try {
      drain(first);
    } catch (...) {
      failure = std::current_exception();
      next = out.size();  // the others stop after their current table
    }
    for (std::future<void>& one : running) {
      try {
        one.get();
      } catch (...) {
        if (!failure) failure = std::current_exception();
        next = out.size();
      }
    }
    if (failure) std::rethrow_exception(failure);
  }
  std::sort(out.begin(), out.end(), [](const TableStats& a, const TableStats& b) {
    return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
  });
  return out;
}

DumpResult dump_database(const pg::ConnInfo& database, ByteSink& sink, const DumpOptions& options) {
  DumpResult result;
  result.pg_dump_version = pg_dump_version();
  pg::Connection connection = pg::Connection::open(database);
  result.server_version = connection.server_version();
  connection.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::string snapshot(connection.exec("SELECT pg_export_snapshot()").get(0, 0));
  if (!connection.exec("SELECT to_regclass('_prisma_migrations')").is_null(0, 0)) {
    pg::Result rows = connection.exec(
        "SELECT migration_name, checksum, coalesce(finished_at::text, '') FROM _prisma_migrations "
        "WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name");
    for (int i = 0; i < rows.rows(); ++i)
      result.migrations.push_back(
          {std::string(rows.get(i, 0)), std::string(rows.get(i, 1)), std::string(rows.get(i, 2))});
  }

  pg::Command command =
      pg::client_tool("pg_dump", database, {"--format=custom", "--compress=0", "--snapshot=" + snapshot});
  for (auto& variable : dump_session_env())
    command.env.push_back(variable);
  pg::Child dump = pg::spawn(command, {.out = pg::Stdio::Pipe, .err = pg::Stdio::Pipe});
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
    throw;
  }
  pg::ExitStatus status = dump.wait();
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
