#include "api/pool.hpp"

namespace soulstone::api::internal {

Pool::Lease::~Lease() { pool_.give_back(std::move(entry_), discard_); }

Pool::Lease Pool::borrow() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!idle_.empty()) {
      std::unique_ptr<Entry> entry = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(entry));
    }
    ++open_;  // reserved while connecting, outside the lock
  }
  try {
    pg::Connection connection =
        pg::Connection::open(options_.database, {.connect_timeout_seconds = options_.connect_timeout_seconds,
                                                 .application_name = "soulstone-agent-api"});
    connection.exec("SET default_transaction_read_only = on; SET statement_timeout = " +
                    std::to_string(options_.statement_timeout.count()));
    return Lease(*this, std::make_unique<Entry>(std::move(connection)));
  } catch (...) {
    give_back(nullptr, true);
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Entry> entry, bool discard) {
  {
    std::lock_guard lock(mutex_);
    if (discard || !entry) {
      --open_;
    } else {
      idle_.push_back(std::move(entry));
    }
  }
  // The discarded connection closes here, outside the lock.
  entry.reset();
  returned_.notify_one();
}

}  // namespace soulstone::api::internal
