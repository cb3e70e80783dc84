#pragma once
// A store that stops moving data once a stop is requested: how a job in
// flight is aborted when the agent stops, or a command on SIGINT/SIGTERM.
//
// The backup, restore and drill libraries have no cancellation hook, but
// they move their data through a store. Wrapped, the store throws Stopped at
// the next write, commit or piece of a multi-piece read after the stop, so
// the work unwinds through its normal failure path: an upload is abandoned
// uncommitted, no manifest is written, a restore commits nothing. Small
// reads, listings and deletes still work, so clean-up (reading back and
// deleting a store lock) runs as the work unwinds.

#include <memory>
#include <stop_token>

#include "base/error.hpp"
#include "store/store.hpp"

namespace soulstone::store {

class Stopped : public Error {
 public:
  Stopped() : Error(ErrorKind::Interrupted, "aborted: a stop was requested (SIGTERM or SIGINT)") {}
};

[[nodiscard]] std::unique_ptr<ObjectStore> cancellable(std::unique_ptr<ObjectStore> inner,
                                                       std::stop_token stop);

}  // namespace soulstone::store
