#pragma once
// RAII wrappers around libpq: Connection, Result, CopyIn, CopyOut.
//
// libpq's types stay out of this header (libpqxx's rule): callers see only
// these owners. Every statement is sent asynchronously and waited for with
// an optional timeout; on expiry the statement is cancelled and the
// connection drained, so it is never left in the middle of the protocol.
//
// Thread-safety: one Connection per thread; no sharing.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "pg/url.hpp"

struct pg_conn;
struct pg_result;

namespace soulstone::pg {

// A statement or connection failure. sqlstate() is the five-character
// SQLSTATE code ("" when the failure did not come from the server), so
// callers decide on retries by code, never by message text.
class DatabaseError : public Error {
 public:
  DatabaseError(std::string message, std::string sqlstate, std::string hint = {})
      : Error(ErrorKind::Database, std::move(message), std::move(hint)), sqlstate_(std::move(sqlstate)) {}
  [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* raw) noexcept;

  [[nodiscard]] int rows() const noexcept;
  [[nodiscard]] int columns() const noexcept;
  [[nodiscard]] bool is_null(int row, int column) const noexcept;
  // The text value; empty for NULL. Valid as long as this Result lives.
  [[nodiscard]] std::string_view get(int row, int column) const noexcept;
  [[nodiscard]] std::optional<std::string> get_optional(int row, int column) const;
  [[nodiscard]] std::string column_name(int column) const;
  // Rows affected by INSERT/UPDATE/DELETE/COPY; 0 otherwise.
  [[nodiscard]] long long affected_rows() const noexcept;

 private:
  struct Deleter {
    void operator()(pg_result* raw) const noexcept;
  };
  std::unique_ptr<pg_result, Deleter> raw_;
};

// Parameters go as text values ($1, $2, ...); std::nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

struct ExecOptions {
  // Zero waits forever. On expiry the statement is cancelled and an Error
  // of kind Database is thrown with SQLSTATE 57014 (query_canceled).
  std::chrono::milliseconds timeout{0};
};

// Every field of an error the server sent, for callers that report it in
// full (the migration history keeps them in its logs).
struct ServerError {
  std::string severity;  // "ERROR", "FATAL", ...
  std::string sqlstate;
  std::string message;
  std::string detail;  // empty when the server sent none
  std::string hint;    // empty when the server sent none
  int position = 0;    // 1-based character offset into the sent text; 0 when unknown
};

// How a script ran: the statements that completed, and the server error that
// stopped the rest (none when every statement completed).
struct ScriptOutcome {
  int statements_completed = 0;
  std::optional<ServerError> error;
};

class CopyIn;
class CopyOut;

class Connection {
 public:
  struct Options {
    int connect_timeout_seconds = 10;
    std::string application_name = "soulstone";
  };

  // Opens a connection; throws DatabaseError with a redacted message.
  [[nodiscard]] static Connection open(const ConnInfo& info, const Options& options);
  [[nodiscard]] static Connection open(const ConnInfo& info) { return open(info, Options{}); }

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Simple-query protocol: several statements in one string are allowed.
  Result exec(std::string_view sql, const ExecOptions& options = {});
  // Runs a script of any number of statements as one simple query, as
  // PostgreSQL's own clients send files: the server runs them as one implicit
  // transaction (unless the script issues its own BEGIN/COMMIT), so a failure
  // leaves nothing of that transaction behind. A server error comes back as
  // a value with all its fields; a lost connection or the timeout throws.
  [[nodiscard]] ScriptOutcome run_script(std::string_view sql, const ExecOptions& options = {});
  // Extended protocol with parameters: exactly one statement.
  Result exec(std::string_view sql, const Params& params, const ExecOptions& options = {});

  // A named prepared statement (the extended protocol's Parse): the server
  // infers the parameter types. It lives until the connection closes and is
  // not undone by a ROLLBACK. Throws DatabaseError when the SQL is invalid.
  void prepare(std::string_view name, std::string_view sql, const ExecOptions& options = {});
  // Runs a statement made by prepare() with its parameters (Bind + Execute).
  Result exec_prepared(std::string_view name, const Params& params, const ExecOptions& options = {});

  // "COPY ... FROM STDIN" / "COPY ... TO STDOUT".
  [[nodiscard]] CopyIn copy_in(std::string_view copy_sql);
  [[nodiscard]] CopyOut copy_out(std::string_view copy_sql);

  // An identifier quoted by libpq (PQescapeIdentifier), e.g. "Order".
  [[nodiscard]] std::string quote_identifier(std::string_view name) const;

  // Server version as a number, e.g. 150018.
  [[nodiscard]] int server_version() const noexcept;
  // NOTICE and WARNING messages the server sent, oldest first.
  [[nodiscard]] const std::vector<std::string>& notices() const noexcept;
  // The redacted URL this connection was opened with, for messages.
  [[nodiscard]] const std::string& display_url() const noexcept;

 private:
  friend class CopyIn;
  friend class CopyOut;
  struct State;
  explicit Connection(std::unique_ptr<State> state) noexcept;
  Result finish_statement(const ExecOptions& options);
  bool wait_for_result(const ExecOptions& options);
  void begin_copy(std::string_view copy_sql, bool into_server);
  void end_copy();
  [[noreturn]] void throw_connection_error(std::string_view what) const;
  std::unique_ptr<State> state_;
};

// Streams rows into COPY ... FROM STDIN. finish() commits the COPY and
// returns the row count; destroying an unfinished CopyIn aborts it, so a
// failed load never half-lands.
class CopyIn {
 public:
  CopyIn(CopyIn&& other) noexcept;
  CopyIn& operator=(CopyIn&&) = delete;
  CopyIn(const CopyIn&) = delete;
  CopyIn& operator=(const CopyIn&) = delete;
  ~CopyIn();

  void write(std::string_view data);
  long long finish();

 private:
  friend class Connection;
  explicit CopyIn(Connection& connection) noexcept : connection_(&connection) {}
  Connection* connection_;
};

// Reads COPY ... TO STDOUT one row (text/csv) or one chunk (binary) at a
// time. Destroying an unfinished CopyOut cancels the COPY and drains it.
class CopyOut {
 public:
  CopyOut(CopyOut&& other) noexcept;
  CopyOut& operator=(CopyOut&&) = delete;
  CopyOut(const CopyOut&) = delete;
  CopyOut& operator=(const CopyOut&) = delete;
  ~CopyOut();

  // The next piece of data, valid until the next call; nullopt at the end.
  [[nodiscard]] std::optional<std::string_view> next();

 private:
  friend class Connection;
  explicit CopyOut(Connection& connection) noexcept : connection_(&connection) {}
  void release_buffer() noexcept;
  Connection* connection_;
  char* buffer_ = nullptr;
};

}  // namespace soulstone::pg
