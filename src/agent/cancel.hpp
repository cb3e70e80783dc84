#pragma once
// How a job in flight is aborted when the agent stops.
//
// The backup library has no cancellation hook, but every job moves its data
// through a store and, for backups, a pg_dump child. So the agent (1) wraps
// the store so that, once a stop is requested, the next write, commit or
// piece of a multi-piece read throws, and (2) terminates its own pg_dump /
// pg_restore / psql children, which makes a dump blocked on a lock fail at
// once. Either way the job unwinds through its normal failure path: the
// upload is abandoned uncommitted, no manifest is written, the store lock
// is released.

#include <memory>
#include <stop_token>

#include "base/error.hpp"
#include "store/store.hpp"

namespace soulstone::agent {

// Thrown into a job by a cancelled store.
class Aborted : public Error {
 public:
  Aborted() : Error(ErrorKind::Interrupted, "aborted: a stop was requested (SIGTERM or SIGINT)") {}
};

[[nodiscard]] std::unique_ptr<store::ObjectStore> cancellable(std::unique_ptr<store::ObjectStore> inner,
                                                              std::stop_token stop);

// Sends SIGTERM to the direct children of this process whose program is a
// PostgreSQL client tool; returns how many. Nothing else is touched (an
// agent running as PID 1 may have adopted unrelated orphans).
int terminate_tool_children();

}  // namespace soulstone::agent
