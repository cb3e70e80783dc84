#pragma once
// The connection a generated client talks through, its cache of prepared
// statements, transactions and COPY.
//
// Contracts:
// * Session prepares each distinct statement text once (named statements on
//   the connection) and then only binds and executes it. Texts come from
//   client_runtime/sql.hpp, so their number is bounded by the shapes of the
//   queries a program makes; past kMaxPrepared distinct texts the rest run
//   unprepared (still with parameters).
// * On construction it sets DateStyle ISO and bytea_output hex for the
//   session, the text forms client_runtime/values.hpp reads.
// * One Session per thread, like pg::Connection.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "client_runtime/sql.hpp"
#include "pg/connection.hpp"
#include "pg/url.hpp"

namespace soulstone::client {

class Session {
 public:
  static constexpr std::size_t kMaxPrepared = 1000;

  // Borrows `connection`, which must outlive the session.
  explicit Session(pg::Connection& connection);
  // Opens and owns a connection.
  explicit Session(const pg::ConnInfo& info);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  [[nodiscard]] pg::Result query(const Sql& sql);
  [[nodiscard]] pg::Connection& connection() noexcept { return *connection_; }

  // Statements run through query() so far (for tests and metrics).
  [[nodiscard]] std::uint64_t statements() const noexcept { return statements_; }

  // Transactions opened and not yet closed (Transaction keeps it).
  [[nodiscard]] int transaction_depth() const noexcept { return depth_; }

 private:
  friend class Transaction;
  void configure();
  std::unique_ptr<pg::Connection> owned_;
  pg::Connection* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // statement text -> name
  int depth_ = 0;
  std::uint64_t statements_ = 0;
};

// BEGIN ... COMMIT on the session; nested transactions are savepoints.
// Destroying one that was neither committed nor rolled back rolls it back,
// so an exception leaves nothing half-written.
class Transaction {
 public:
  explicit Transaction(Session& session);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();
  void rollback();
  [[nodiscard]] bool open() const noexcept { return session_ != nullptr; }

 private:
  void close(bool commit);
  Session* session_;
  int level_;  // 1 for the outermost transaction
};

// Rows streamed into COPY ... FROM STDIN (text format), buffered.
class CopyWriter {
 public:
  // `copy_sql` is "COPY table (columns) FROM STDIN".
  CopyWriter(Session& session, std::string_view copy_sql);

  template <class T>
  void value(const T& v) {
    field(Codec<T>::encode(v));
  }
  template <class T>
  void value(const std::optional<T>& v) {
    if (v) {
      field(Codec<T>::encode(*v));
    } else {
      null();
    }
  }
  void field(std::string_view text);
  void null();
  void end_row();
  // Sends the rest and ends the COPY; returns the number of rows.
  long long finish();

 private:
  void separate();
  pg::CopyIn copy_;
  std::string buffer_;
  bool row_started_ = false;
};

}  // namespace soulstone::client
