#include "client_runtime/session.hpp"

#include <stdexcept>
#include <utility>

namespace soulstone::client {

namespace {
constexpr std::size_t kFlushBytes = 1 << 20;
}

Session::Session(pg::Connection& connection) : connection_(&connection) { configure(); }

Session::Session(const pg::ConnInfo& info)
    : owned_(std::make_unique<pg::Connection>(pg::Connection::open(info))), connection_(owned_.get()) {
  configure();
}

Session::~Session() = default;

void Session::configure() { connection_->exec("SET DateStyle = ISO, YMD; SET bytea_output = hex"); }

pg::Result Session::query(const Sql& sql) {
  ++statements_;
  auto found = prepared_.find(sql.text);
  if (found == prepared_.end()) {
    if (prepared_.size() >= kMaxPrepared) return connection_->exec(sql.text, sql.params);
    std::string name = "soulstone_" + std::to_string(prepared_.size() + 1);
    connection_->prepare(name, sql.text);  // a failure caches nothing
    found = prepared_.emplace(sql.text, std::move(name)).first;
  }
  return connection_->exec_prepared(found->second, sql.params);
}

// ------------------------------------------------------------ Transaction

Transaction::Transaction(Session& session) : session_(&session), level_(session.depth_ + 1) {
  session.connection_->exec(level_ == 1 ? "BEGIN" : "SAVEPOINT soulstone_" + std::to_string(level_));
  session.depth_ = level_;
}

Transaction::Transaction(Transaction&& other) noexcept
    : session_(std::exchange(other.session_, nullptr)), level_(other.level_) {}

Transaction::~Transaction() {
  if (session_ == nullptr) return;
  try {
    close(false);
  } catch (...) {
    // The connection is broken; the server rolls the transaction back.
  }
}

void Transaction::commit() { close(true); }
void Transaction::rollback() { close(false); }

void Transaction::close(bool commit) {
  if (session_ == nullptr) throw std::logic_error("the transaction is already closed");
  Session* session = std::exchange(session_, nullptr);
  session->depth_ = level_ - 1;
  if (level_ == 1) {
    session->connection_->exec(commit ? "COMMIT" : "ROLLBACK");
  } else {
    std::string savepoint = "soulstone_" + std::to_string(level_);
    session->connection_->exec(commit ? "RELEASE SAVEPOINT " + savepoint
                                      : "ROLLBACK TO SAVEPOINT " + savepoint + "; RELEASE SAVEPOINT " +
                                            savepoint);
  }
}

// ------------------------------------------------------------- CopyWriter

CopyWriter::CopyWriter(Session& session, std::string_view copy_sql)
    : copy_(session.connection().copy_in(copy_sql)) {
  buffer_.reserve(kFlushBytes + 4096);
}

void CopyWriter::separate() {
  if (row_started_) buffer_ += '\t';
  row_started_ = true;
}

void CopyWriter::field(std::string_view text) {
  separate();
  // COPY's text format: backslash escapes for the characters it uses.
  for (char c : text) {
    switch (c) {
      case '\\':
        buffer_ += "\\\\";
        break;
      case '\t':
        buffer_ += "\\t";
        break;
      case '\n':
        buffer_ += "\\n";
        break;
      case '\r':
        buffer_ += "\\r";
        break;
      default:
        buffer_ += c;
    }
  }
}

void CopyWriter::null() {
  separate();
  buffer_ += "\\N";
}

void CopyWriter::end_row() {
  buffer_ += '\n';
  row_started_ = false;
  if (buffer_.size() >= kFlushBytes) {
    copy_.write(buffer_);
    buffer_.clear();
  }
}

long long CopyWriter::finish() {
  if (!buffer_.empty()) copy_.write(buffer_);
  buffer_.clear();
  return copy_.finish();
}

}  // namespace soulstone::client
