#pragma once
// Private to src/api: the generated clients the request threads borrow. A
// client owns one connection and serves one thread at a time (the runtime's
// rule), so the pool hands each request its own, opening at most
// `max_connections`. Every connection is a read-only session with a
// statement timeout: the API cannot change the shop's data or hang a worker.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "api/read_api.hpp"
#include "client.hpp"  // generated at build time from apps/api/prisma/schema.prisma

namespace soulstone::api::internal {

namespace db = ::soulstone_db;

class Pool {
 public:
  explicit Pool(const Options& options) : options_(options) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  struct Entry {
    pg::Connection connection;
    db::Client client;
    explicit Entry(pg::Connection c) : connection(std::move(c)), client(connection) {}
  };

  // Returns its client to the pool, unless discard() was called (after an
  // error, when the session's state is unknown).
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Entry> entry) : pool_(pool), entry_(std::move(entry)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    [[nodiscard]] db::Client& client() noexcept { return entry_->client; }
    void discard() noexcept { discard_ = true; }

   private:
    Pool& pool_;
    std::unique_ptr<Entry> entry_;
    bool discard_ = false;
  };

  // Throws pg::DatabaseError when a new connection cannot be opened.
  [[nodiscard]] Lease borrow();

 private:
  void give_back(std::unique_ptr<Entry> entry, bool discard);

  const Options& options_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Entry>> idle_;
  std::size_t open_ = 0;  // idle and lent
};

}  // namespace soulstone::api::internal
