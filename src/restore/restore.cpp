// restore(): the checks that need no target, the choice of way, and what a
// failure leaves behind, said in every error.

#include "restore/restore.hpp"

#include <chrono>

#include "archive/manifest_check.hpp"
#include "base/error.hpp"
#include "restore/internal.hpp"

namespace soulstone::restore {

namespace {

using Clock = std::chrono::steady_clock;

// The checks that read only the manifest and the store's listing: the key,
// and the stored object's size (a cut-short upload fails here, at once).
void check_backup(store::ObjectStore& store, const archive::Manifest& manifest,
                  const std::optional<archive::Key>& key) {
  if (manifest.encryption_key_id) {
    if (!key)
      throw Error(ErrorKind::Input,
                  "backup " + manifest.id + " is encrypted (key id " + *manifest.encryption_key_id +
                      ") and SOULSTONE_BACKUP_KEY is not set",
                  "nothing was restored; set SOULSTONE_BACKUP_KEY to the key the backup was written with");
    if (archive::key_id(*key) != *manifest.encryption_key_id)
      throw Error(ErrorKind::Input,
                  "SOULSTONE_BACKUP_KEY (key id " + archive::key_id(*key) + ") is not the key backup " +
                      manifest.id + " was written with (key id " + *manifest.encryption_key_id + ")",
                  "nothing was restored; set SOULSTONE_BACKUP_KEY to the key the backup was written with");
  }
  auto object = store.head(manifest.archive_key);
  if (!object)
    throw Error(ErrorKind::Failure,
                "backup " + manifest.id + " failed verification: its archive " + manifest.archive_key +
                    " is missing from " + store.describe() + "; nothing was restored",
                "restore another backup (see `soulstone backup list`)");
  if (object->size != manifest.stored_size)
    throw Error(ErrorKind::Failure,
                "backup " + manifest.id + " failed verification: stored size " +
                    std::to_string(object->size) + " differs from the manifest's " +
                    std::to_string(manifest.stored_size) + "; nothing was restored",
                "restore another backup (see `soulstone backup list`)");
}

// What became of the target, for the end of an error message.
std::string outcome(const internal::Job& job, bool streamed, bool created, bool dropped) {
  const std::string target = job.target.redacted();
  if (created)
    return dropped ? "nothing was restored: the database " + target + " created for it was dropped again"
                   : "the database " + target + " created for it could not be dropped: drop it by hand";
  if (streamed) return "nothing was committed: " + target + " is unchanged";
  if (!job.proven) return "nothing was restored: " + target + " is unchanged";
  return target + " may be partly restored";
}

}  // namespace

const char* to_string(Phase phase) noexcept {
  switch (phase) {
    case Phase::Streaming:
      return "restoring";
    case Phase::Staging:
      return "staging";
    case Phase::Restoring:
      return "pg_restore";
    case Phase::Committing:
      return "committing";
  }
  return "restoring";
}

std::vector<std::pair<std::string, std::string>> bulk_load_settings(const std::string& maintenance_work_mem) {
  return {{"synchronous_commit", "off"}, {"maintenance_work_mem", maintenance_work_mem}};
}

const catalog::Entry& choose_backup(const catalog::Catalog& catalog, const std::string& id,
                                    const std::string& store_name) {
  const catalog::Entry* entry = catalog.find(id);
  if (entry == nullptr)
    throw Error(
        ErrorKind::Input,
        id == "latest" ? "no good backup in " + store_name : "no backup '" + id + "' in " + store_name,
        "see `soulstone backup list`");
  if (!entry->good())
    throw Error(ErrorKind::Failure, "backup " + entry->id + " cannot be restored: " + entry->problem,
                "restore another backup (see `soulstone backup list`)");
  return *entry;
}

void internal::read_archive(Job& job, archive::ByteSink& reader, Phase phase) {
  std::uint64_t done = 0;
  try {
    job.store.get(job.manifest.archive_key, [&](std::string_view piece) {
      reader.write(piece);
      done += piece.size();
      if (job.options.progress) job.options.progress(phase, done, job.manifest.stored_size);
    });
    reader.finish();
  } catch (const Error& error) {
    // Decryption, zstd and the walk fail with Failure; anything else (the
    // store, pg_restore, the staging disk) is passed on as it is.
    if (error.kind() != ErrorKind::Failure || job.destination_failed) throw;
    throw_unproven(job, error.what());
  }
}

void internal::require_match(const Job& job, const archive::ReadResult& read) {
  auto problems = archive::compare_with_manifest(read, job.manifest);
  if (!problems.empty()) throw_unproven(job, problems.front());
}

void internal::throw_unproven(const Job& job, const std::string& problem) {
  throw Error(ErrorKind::Failure, "backup " + job.manifest.id + " failed verification: " + problem,
              "the archive in the store does not match its manifest: restore another backup (see `soulstone "
              "backup list`)");
}

Result restore(store::ObjectStore& store, const catalog::Entry& backup, const pg::ConnInfo& target,
               const std::optional<archive::Key>& key, const Options& options) {
  const auto started = Clock::now();
  if (!backup.good()) (void)choose_backup(catalog::Catalog{{backup}}, backup.id, store.describe());
  const archive::Manifest& manifest = *backup.manifest;
  if (options.jobs < 1) throw Error(ErrorKind::Usage, "--jobs must be at least 1");
  check_backup(store, manifest, key);
  internal::TargetState state = internal::inspect_target(target, options);

  Result result{.id = manifest.id,
                .target = target.redacted(),
                .cleaned = options.clean && state.tables > 0,
                .jobs = options.jobs,
                .stored_size = manifest.stored_size,
                .tables = manifest.tables.size(),
                .rows = manifest.rows_total()};
  internal::Job job{.store = store,
                    .manifest = manifest,
                    .target = target,
                    .key = key,
                    .options = options,
                    .session_settings = options.session_settings.value_or(bulk_load_settings())};
  if (!state.exists) {
    job.before_target = [&] {
      internal::create_database(target);
      result.created = true;
    };
  }
  const bool streamed = options.jobs == 1;
  try {
    streamed ? internal::restore_streamed(job, result) : internal::restore_staged(job, result);
  } catch (const Error& error) {
    bool dropped = result.created && internal::drop_database(target);
    throw Error(error.kind(),
                std::string(error.what()) + "; " + outcome(job, streamed, result.created, dropped),
                error.hint());
  }
  result.total = Clock::now() - started;
  return result;
}

}  // namespace soulstone::restore
