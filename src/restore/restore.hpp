#pragma once
// soulstone restore: a backup from a store into a database, proven against
// its manifest before anything becomes visible in the target.
//
// Two ways, chosen by jobs, with the same guarantee for a damaged archive:
// * streamed (jobs == 1): the stored bytes flow through SHA-256, decryption,
//   zstd and the dump walk straight into `pg_restore --single-transaction`.
//   The last bytes of the dump are held back until the whole archive has
//   been proven (stored size and SHA-256, every encrypted record, the zstd
//   frame, the dump's SHA-256, every table's rows and fingerprint); only
//   then does pg_restore get them, build the indexes and commit. A failed
//   proof kills pg_restore before its COMMIT, so the target stays as it was.
//   Any failure of pg_restore itself is rolled back the same way.
// * staged (jobs > 1): the decoded dump is written to a private temporary
//   file (mode 0600 in a 0700 folder, removed afterwards) while it is
//   proven; only a proven file goes to `pg_restore --jobs N`, which loads
//   tables and builds indexes in parallel. Parallel sessions cannot share
//   one transaction, so if pg_restore itself fails (the archive being
//   sound) the target can be partly restored: the error says so.
// A database created for the restore (`create`) is dropped again when the
// restore fails, so a failure never leaves a half-filled new database.
//
// Refusals (Error Refused, exit 7) change nothing: a target marked
// production without the override, a target holding tables without clean.
//
// The format of what is read is docs/formats/backup.md.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/cipher_sink.hpp"
#include "catalog/catalog.hpp"
#include "pg/url.hpp"
#include "store/store.hpp"

namespace soulstone::restore {

enum class Phase {
  Streaming,  // streamed: reading, proving and restoring at once
  Staging,    // staged: reading and proving into the temporary file
  Restoring,  // staged: pg_restore --jobs N from the proven file
  Committing  // streamed: the proof passed; pg_restore builds indexes and commits
};

[[nodiscard]] const char* to_string(Phase phase) noexcept;

struct Options {
  bool create = false;                // create the target database when it does not exist
  bool clean = false;                 // allow a target holding tables: drop and replace the archive's objects
  bool production_override = false;   // allow a target marked production
  int jobs = 1;                       // > 1: staged, pg_restore --jobs N
  std::filesystem::path staging_dir;  // where the staged file goes; empty: $TMPDIR or /tmp
  // Settings of pg_restore's sessions (PGOPTIONS); unset: bulk_load_settings().
  std::optional<std::vector<std::pair<std::string, std::string>>> session_settings;
  // Called with the phase and the stored bytes read so far out of `total`.
  std::function<void(Phase phase, std::uint64_t done, std::uint64_t total)> progress;
};

// synchronous_commit off (a restore that dies is redone, never resumed) and
// a larger maintenance_work_mem, so index builds sort in memory.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> bulk_load_settings(
    const std::string& maintenance_work_mem = "256MB");

struct Result {
  std::string id;
  std::string target;  // redacted URL
  bool created = false;
  bool cleaned = false;  // the target held tables and --clean replaced them
  int jobs = 1;
  std::uint64_t stored_size = 0;
  std::uint64_t dump_size = 0;
  std::size_t tables = 0;
  long long rows = 0;
  std::chrono::duration<double> proving{};    // staged: stage and prove; streamed: read, prove and load
  std::chrono::duration<double> restoring{};  // staged: pg_restore --jobs; streamed: indexes and commit
  std::chrono::duration<double> total{};
};

// The backup `id` ("latest" for the newest good one) of a catalog. Throws
// Error(Input) when there is none by that name, Error(Failure) when it is
// not a good backup (naming why).
[[nodiscard]] const catalog::Entry& choose_backup(const catalog::Catalog& catalog, const std::string& id,
                                                  const std::string& store_name);

// Restores a good backup into `target`. `key` is required when the backup
// is encrypted (SOULSTONE_BACKUP_KEY). Throws soulstone::Error: Refused for
// the refusals above, Input for a missing database without create or a
// wrong or missing key, Failure for an archive that does not match its
// manifest, Storage, Database and ExternalTool for the rest; every message
// says what became of the target.
Result restore(store::ObjectStore& store, const catalog::Entry& backup, const pg::ConnInfo& target,
               const std::optional<archive::Key>& key, const Options& options);

}  // namespace soulstone::restore
