#pragma once
// The nightly job's commands as functions: run, verify, check, prune. The
// CLI parses flags and prints; everything that decides lives here.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/cipher_sink.hpp"
#include "archive/manifest.hpp"
#include "archive/zstd_sink.hpp"
#include "catalog/catalog.hpp"
#include "pg/url.hpp"
#include "retention/retention.hpp"
#include "store/store.hpp"

namespace soulstone::backup {

// ---------------------------------------------------------------- run

struct PruneAfterRun {
  retention::Policy policy;
  retention::Calendar calendar = retention::utc_calendar();
};

struct RunOptions {
  int zstd_level = archive::kDefaultZstdLevel;
  int zstd_workers = 2;
  std::optional<archive::Key> key;  // encrypt when set
  std::chrono::hours lock_lease{6};
  std::function<void(std::uint64_t dump_bytes)> progress;
  // Apply retention after the backup, under the same lock, only when the
  // backup succeeded (so failed nights never thin the history).
  std::optional<PruneAfterRun> prune;
};

struct PruneResult;

// Dumps the database into the store and writes the manifest last, after the
// stored object's size has been confirmed. Refuses (Error Refused) while
// another run holds the store's lock. On failure nothing that looks like a
// backup is left: the archive upload is aborted and no manifest is written.
// With options.prune, the store is then pruned (see prune()) and the plan
// returned through `pruned`, when given.
archive::Manifest run(store::ObjectStore& store, const pg::ConnInfo& database, const RunOptions& options,
                      PruneResult* pruned = nullptr);

// ---------------------------------------------------------------- verify

struct VerifyReport {
  std::string id;
  std::vector<std::string> problems;  // empty: the backup is whole
  std::uint64_t stored_size = 0;
  std::uint64_t dump_size = 0;
  std::size_t tables = 0;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Streams the archive back and checks it against its manifest: stored size
// and SHA-256, decryption, zstd, dump size and SHA-256, a walk of every data
// block, and each table's rows and fingerprint.
[[nodiscard]] VerifyReport verify(store::ObjectStore& store, const catalog::Entry& entry,
                                  const std::optional<archive::Key>& key);

// ---------------------------------------------------------------- check

struct CheckOptions {
  std::chrono::seconds max_age{26 * 3600};
  double min_size_ratio = 0.5;  // newest smaller than this share of the one before: flagged
  bool verify_latest = true;    // also stream the newest good backup back (check_store only)
};

struct CheckReport {
  bool ok = false;
  std::string reason;  // one line: why it passed or failed
  std::optional<std::string> latest_id;
  std::optional<std::chrono::seconds> age;
};

// Judges the catalog alone: age and size of the newest good backup.
[[nodiscard]] CheckReport check(const catalog::Catalog& catalog, std::chrono::system_clock::time_point now,
                                const CheckOptions& options);

// check() plus, when verify_latest, a full verify() of the newest good
// backup, so a damaged archive fails the probe too.
[[nodiscard]] CheckReport check_store(store::ObjectStore& store, const catalog::Catalog& catalog,
                                      std::chrono::system_clock::time_point now, const CheckOptions& options,
                                      const std::optional<archive::Key>& key);

// ---------------------------------------------------------------- prune

struct PruneResult {
  std::vector<retention::Decision> plan;
  std::vector<std::string> deleted_keys;
};

// Plans over the catalog and, unless dry_run, deletes what the plan says
// (archive before manifest, so a crash never leaves a manifest without its
// archive looking good).
PruneResult prune(store::ObjectStore& store, const catalog::Catalog& catalog, const retention::Policy& policy,
                  const retention::Calendar& calendar, std::chrono::system_clock::time_point now,
                  bool dry_run);

// ---------------------------------------------------------------- lock

// A lease on a store, so two runs never write at once; a lease whose owner
// died (same host, pid gone) or expired is taken over.
class StoreLock {
 public:
  StoreLock(store::ObjectStore& store, std::chrono::hours lease);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  store::ObjectStore& store_;
  std::string token_;
};

}  // namespace soulstone::backup
