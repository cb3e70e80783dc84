#include "pg/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <string>
#include <utility>

namespace soulstone::pg {

namespace {

constexpr const char* kQueryCanceled = "57014";

std::string trimmed(const char* text) {
  std::string out = text != nullptr ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

DatabaseError error_from_result(const PGresult* raw, const std::string& password) {
  std::string sqlstate = trimmed(PQresultErrorField(raw, PG_DIAG_SQLSTATE));
  std::string message = trimmed(PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty()) message = trimmed(PQresultErrorMessage(raw));
  if (const char* detail = PQresultErrorField(raw, PG_DIAG_MESSAGE_DETAIL))
    message += " (" + trimmed(detail) + ")";
  std::string hint = trimmed(PQresultErrorField(raw, PG_DIAG_MESSAGE_HINT));
  return DatabaseError(redact(redact_secret(message, password)), sqlstate, hint);
}

void collect_notice(void* arg, const PGresult* result) {
  auto* notices = static_cast<std::vector<std::string>*>(arg);
  notices->push_back(trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)));
}

}  // namespace

// ---------------------------------------------------------------- Result

Result::Result(pg_result* raw) noexcept : raw_(raw) {}
void Result::Deleter::operator()(pg_result* raw) const noexcept { PQclear(raw); }
int Result::rows() const noexcept { return raw_ ? PQntuples(raw_.get()) : 0; }
int Result::columns() const noexcept { return raw_ ? PQnfields(raw_.get()) : 0; }
bool Result::is_null(int row, int column) const noexcept { return PQgetisnull(raw_.get(), row, column) != 0; }
std::string_view Result::get(int row, int column) const noexcept {
  return {PQgetvalue(raw_.get(), row, column),
          static_cast<std::size_t>(PQgetlength(raw_.get(), row, column))};
}
std::optional<std::string> Result::get_optional(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string(get(row, column));
}
std::string Result::column_name(int column) const { return PQfname(raw_.get(), column); }
long long Result::affected_rows() const noexcept {
  const char* text = raw_ ? PQcmdTuples(raw_.get()) : "";
  return (text != nullptr && *text != '\0') ? std::atoll(text) : 0;
}

// ------------------------------------------------------------ Connection

struct Connection::State {
  struct ConnDeleter {
    void operator()(PGconn* conn) const noexcept { PQfinish(conn); }
  };
  std::unique_ptr<PGconn, ConnDeleter> conn;
  std::string display_url;
  std::string password;  // kept only to scrub it from libpq's messages
  std::vector<std::string> notices;
};

Connection::Connection(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

Connection Connection::open(const ConnInfo& info, const Options& options) {
  ConnInfo effective = info;
  if (!effective.get("connect_timeout"))
    effective.set("connect_timeout", std::to_string(options.connect_timeout_seconds));
  if (!effective.get("application_name")) effective.set("application_name", options.application_name);

  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [key, value] : effective.params()) {
    keywords.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  auto state = std::make_unique<State>();
  state->display_url = info.redacted();
  state->password = info.get("password").value_or("");
  state->conn.reset(PQconnectdbParams(keywords.data(), values.data(), 0));
  if (!state->conn) throw DatabaseError("cannot connect: out of memory", "");
  Connection connection(std::move(state));
  if (PQstatus(connection.state_->conn.get()) != CONNECTION_OK) {
    connection.throw_connection_error("cannot connect to " + connection.state_->display_url);
  }
  PQsetNoticeReceiver(connection.state_->conn.get(), collect_notice, &connection.state_->notices);
  return connection;
}

// libpq's message on one line: its tab-indented hint lines ("Is the server
// running on that host...?") give way to our hint, and the attempts at
// several addresses are joined with "; ".
std::string one_line(const std::string& text) {
  std::string out;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t end = text.find('\n', at);
    std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!line.empty() && line.front() != '\t') out += (out.empty() ? "" : "; ") + line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

void Connection::throw_connection_error(std::string_view what) const {
  std::string message = std::string(what) + ": " + one_line(trimmed(PQerrorMessage(state_->conn.get())));
  throw DatabaseError(redact(redact_secret(message, state_->password)), "",
                      "check that the server is running and that the URL, user and password are right");
}

Result Connection::exec(std::string_view sql, const ExecOptions& options) {
  std::string text(sql);
  if (PQsendQuery(state_->conn.get(), text.c_str()) == 0)
    throw_connection_error("cannot send a statement to " + state_->display_url);
  return finish_statement(options);
}

ScriptOutcome Connection::run_script(std::string_view sql, const ExecOptions& options) {
  PGconn* conn = state_->conn.get();
  std::string text(sql);
  if (PQsendQuery(conn, text.c_str()) == 0)
    throw_connection_error("cannot send a statement to " + state_->display_url);
  const bool cancelled = wait_for_result(options);

  // The server answers each statement of a simple query with its own result
  // and stops at the first error, so the results before the error count the
  // statements that completed.
  ScriptOutcome outcome;
  while (PGresult* raw = PQgetResult(conn)) {
    Result result(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_COPY_IN:
        PQputCopyEnd(conn, "COPY FROM STDIN cannot run in a script");
        continue;
      case PGRES_COPY_OUT: {
        char* discard = nullptr;
        while (PQgetCopyData(conn, &discard, 0) > 0)
          PQfreemem(discard);
        continue;
      }
      case PGRES_FATAL_ERROR:
      case PGRES_NONFATAL_ERROR:
        if (!outcome.error) {
          auto field = [&](int code) {
            return redact(redact_secret(trimmed(PQresultErrorField(raw, code)), state_->password));
          };
          ServerError error{.severity = field(PG_DIAG_SEVERITY_NONLOCALIZED),
                            .sqlstate = field(PG_DIAG_SQLSTATE),
                            .message = field(PG_DIAG_MESSAGE_PRIMARY),
                            .detail = field(PG_DIAG_MESSAGE_DETAIL),
                            .hint = field(PG_DIAG_MESSAGE_HINT)};
          if (error.severity.empty()) error.severity = field(PG_DIAG_SEVERITY);
          if (error.message.empty()) error.message = trimmed(PQresultErrorMessage(raw));
          if (const char* position = PQresultErrorField(raw, PG_DIAG_STATEMENT_POSITION))
            error.position = std::atoi(position);
          outcome.error = std::move(error);
        }
        continue;
      case PGRES_EMPTY_QUERY:
        continue;
      default:
        if (!outcome.error) ++outcome.statements_completed;
    }
  }
  if (PQstatus(conn) == CONNECTION_BAD) throw_connection_error("lost the connection");
  if (cancelled && outcome.error && outcome.error->sqlstate == kQueryCanceled) {
    throw DatabaseError(
        "statement cancelled after its " + std::to_string(options.timeout.count()) + " ms timeout",
        kQueryCanceled);
  }
  return outcome;
}

Result Connection::exec(std::string_view sql, const Params& params, const ExecOptions& options) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params)
    values.push_back(param ? param->c_str() : nullptr);
  if (PQsendQueryParams(state_->conn.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0)
    throw_connection_error("cannot send a statement to " + state_->display_url);
  return finish_statement(options);
}

void Connection::prepare(std::string_view name, std::string_view sql, const ExecOptions& options) {
  std::string name_text(name);
  std::string sql_text(sql);
  if (PQsendPrepare(state_->conn.get(), name_text.c_str(), sql_text.c_str(), 0, nullptr) == 0)
    throw_connection_error("cannot send a statement to " + state_->display_url);
  finish_statement(options);
}

Result Connection::exec_prepared(std::string_view name, const Params& params, const ExecOptions& options) {
  std::string name_text(name);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params)
    values.push_back(param ? param->c_str() : nullptr);
  if (PQsendQueryPrepared(state_->conn.get(), name_text.c_str(), static_cast<int>(values.size()),
                          values.data(), nullptr, nullptr, 0) == 0)
    throw_connection_error("cannot send a statement to " + state_->display_url);
  return finish_statement(options);
}

// Waits until the first result is ready; on the timeout, cancels the
// statement and keeps waiting for its answer. Returns whether it cancelled.
bool Connection::wait_for_result(const ExecOptions& options) {
  PGconn* conn = state_->conn.get();
  using Clock = std::chrono::steady_clock;
  const bool bounded = options.timeout.count() > 0;
  const auto deadline = Clock::now() + options.timeout;
  bool cancelled = false;

  while (PQisBusy(conn) != 0) {
    int wait_ms = -1;
    if (bounded && !cancelled) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      wait_ms = static_cast<int>(std::max<long long>(0, left.count()));
    }
    pollfd pfd{PQsocket(conn), POLLIN, 0};
    int ready = ::poll(&pfd, 1, wait_ms);
    if (ready < 0 && errno != EINTR) throw_connection_error("lost the connection");
    if (ready == 0 && bounded && !cancelled) {
      // Cancel, then keep reading: the server answers the cancelled statement
      // with an error result, after which the connection is idle again.
      if (PGcancel* cancel = PQgetCancel(conn)) {
        char errbuf[256];
        PQcancel(cancel, errbuf, sizeof errbuf);
        PQfreeCancel(cancel);
      }
      cancelled = true;
      continue;
    }
    if (PQconsumeInput(conn) == 0) throw_connection_error("lost the connection");
  }
  return cancelled;
}

Result Connection::finish_statement(const ExecOptions& options) {
  PGconn* conn = state_->conn.get();
  const bool cancelled = wait_for_result(options);

  // Drain every result to NULL; keep the first error, else the last result.
  Result last;
  std::optional<DatabaseError> first_error;
  while (PGresult* raw = PQgetResult(conn)) {
    Result result(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_COPY_IN:
        // COPY belongs to copy_in(); refuse it here without leaving the protocol.
        PQputCopyEnd(conn, "COPY FROM STDIN must go through Connection::copy_in");
        continue;
      case PGRES_COPY_OUT: {
        char* discard = nullptr;
        while (PQgetCopyData(conn, &discard, 0) > 0)
          PQfreemem(discard);
        if (!first_error) first_error.emplace("COPY TO STDOUT must go through Connection::copy_out", "");
        continue;
      }
      case PGRES_FATAL_ERROR:
      case PGRES_NONFATAL_ERROR:
        if (!first_error) first_error.emplace(error_from_result(raw, state_->password));
        continue;
      default:
        last = std::move(result);
    }
  }
  if (first_error) {
    if (cancelled && first_error->sqlstate() == kQueryCanceled) {
      throw DatabaseError(
          "statement cancelled after its " + std::to_string(options.timeout.count()) + " ms timeout",
          kQueryCanceled);
    }
    throw *first_error;
  }
  if (PQstatus(conn) == CONNECTION_BAD) throw_connection_error("lost the connection");
  return last;
}

std::string Connection::quote_identifier(std::string_view name) const {
  char* quoted = PQescapeIdentifier(state_->conn.get(), name.data(), name.size());
  if (quoted == nullptr) throw_connection_error("cannot quote an identifier");
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

int Connection::server_version() const noexcept { return PQserverVersion(state_->conn.get()); }
const std::vector<std::string>& Connection::notices() const noexcept { return state_->notices; }
const std::string& Connection::display_url() const noexcept { return state_->display_url; }

// ------------------------------------------------------------------ COPY

void Connection::begin_copy(std::string_view copy_sql, bool into_server) {
  PGconn* conn = state_->conn.get();
  std::string text(copy_sql);
  if (PQsendQuery(conn, text.c_str()) == 0) throw_connection_error("cannot start COPY");
  PGresult* raw = PQgetResult(conn);
  Result first(raw);
  const ExecStatusType wanted = into_server ? PGRES_COPY_IN : PGRES_COPY_OUT;
  if (raw != nullptr && PQresultStatus(raw) == wanted) return;

  std::optional<DatabaseError> error;
  if (raw != nullptr && PQresultStatus(raw) == PGRES_FATAL_ERROR)
    error.emplace(error_from_result(raw, state_->password));
  finish_statement({});  // drain whatever else the statement produced
  if (error) throw *error;
  throw DatabaseError(
      "statement is not a COPY " + std::string(into_server ? "FROM STDIN" : "TO STDOUT") + ": " + text, "");
}

CopyIn Connection::copy_in(std::string_view copy_sql) {
  begin_copy(copy_sql, true);
  return CopyIn(*this);
}

CopyOut Connection::copy_out(std::string_view copy_sql) {
  begin_copy(copy_sql, false);
  return CopyOut(*this);
}

// Collects the COPY's final result; throws its error.
void Connection::end_copy() { finish_statement({}); }

CopyIn::CopyIn(CopyIn&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}

CopyIn::~CopyIn() {
  if (connection_ == nullptr) return;
  PQputCopyEnd(connection_->state_->conn.get(), "aborted by soulstone");
  try {
    connection_->end_copy();
  } catch (...) {
    // The abort error is the expected answer; the connection is idle again.
  }
}

void CopyIn::write(std::string_view data) {
  if (PQputCopyData(connection_->state_->conn.get(), data.data(), static_cast<int>(data.size())) != 1)
    connection_->throw_connection_error("COPY failed");
}

long long CopyIn::finish() {
  Connection* connection = std::exchange(connection_, nullptr);
  PGconn* conn = connection->state_->conn.get();
  if (PQputCopyEnd(conn, nullptr) != 1) connection->throw_connection_error("COPY failed");
  return connection->finish_statement({}).affected_rows();
}

CopyOut::CopyOut(CopyOut&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      buffer_(std::exchange(other.buffer_, nullptr)) {}

void CopyOut::release_buffer() noexcept {
  if (buffer_ != nullptr) PQfreemem(buffer_);
  buffer_ = nullptr;
}

CopyOut::~CopyOut() {
  release_buffer();
  if (connection_ == nullptr) return;
  PGconn* conn = connection_->state_->conn.get();
  // Stop the server from sending the rest, then read what is in flight.
  if (PGcancel* cancel = PQgetCancel(conn)) {
    char errbuf[256];
    PQcancel(cancel, errbuf, sizeof errbuf);
    PQfreeCancel(cancel);
  }
  char* discard = nullptr;
  while (PQgetCopyData(conn, &discard, 0) > 0)
    PQfreemem(discard);
  try {
    connection_->end_copy();
  } catch (...) {
    // query_canceled is the expected answer.
  }
}

std::optional<std::string_view> CopyOut::next() {
  release_buffer();
  if (connection_ == nullptr) return std::nullopt;
  int length = PQgetCopyData(connection_->state_->conn.get(), &buffer_, 0);
  if (length > 0) return std::string_view(buffer_, static_cast<std::size_t>(length));
  Connection* connection = std::exchange(connection_, nullptr);
  if (length == -2) connection->throw_connection_error("COPY failed");
  connection->end_copy();  // throws the server's error, if any
  return std::nullopt;
}

}  // namespace soulstone::pg
