#include "archive/pipeline.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"

namespace soulstone::backup {

namespace {

// The archive pipeline's last stage: bytes into a store object, committed
// only by finish(), i.e. only after pg_dump succeeded and the walk passed.
class StoreSink final : public archive::ByteSink {
 public:
  explicit StoreSink(std::unique_ptr<store::ObjectWriter> writer) : writer_(std::move(writer)) {}
  void write(std::string_view data) override { writer_->write(data); }
  void finish() override { info_ = writer_->commit(); }
  [[nodiscard]] const std::optional<store::ObjectInfo>& committed() const { return info_; }

 private:
  std::unique_ptr<store::ObjectWriter> writer_;
  std::optional<store::ObjectInfo> info_;
};

}  // namespace

archive::Manifest run(store::ObjectStore& store, const pg::ConnInfo& database, const RunOptions& options,
                      PruneResult* pruned) {
  StoreLock lock(store, options.lock_lease);
  archive::Manifest manifest;
  manifest.started_at = std::chrono::system_clock::now();
  manifest.id = catalog::backup_id(manifest.started_at);
  manifest.archive_key = catalog::archive_key(manifest.id, options.key.has_value());
  if (store.head(catalog::manifest_key(manifest.id)) || store.head(manifest.archive_key))
    throw Error(ErrorKind::Refused,
                "a backup named " + manifest.id + " already exists in " + store.describe(),
                "backups are named by the second they start: run again in a moment");

  StoreSink sink(store.put(manifest.archive_key));
  archive::WriteResult written =
      archive::write_archive(database, sink,
                             {.zstd = {.level = options.zstd_level, .workers = options.zstd_workers},
                              .key = options.key,
                              .progress = options.progress});

  // The store must hold exactly what we streamed before a manifest may say so.
  auto stored = store.head(manifest.archive_key);
  if (!stored || stored->size != written.stored_size) {
    store.remove(manifest.archive_key);
    throw Error(ErrorKind::Storage,
                "the store holds " + (stored ? std::to_string(stored->size) : std::string("no")) +
                    " bytes of " + manifest.archive_key + " after writing " +
                    std::to_string(written.stored_size),
                "the incomplete archive was removed; run the backup again");
  }

  manifest.database = database.get("dbname").value_or("");
  manifest.server_version = written.dump.server_version;
  manifest.pg_dump_version = written.dump.pg_dump_version;
  manifest.stored_size = written.stored_size;
  manifest.stored_sha256 = written.stored_sha256;
  manifest.dump_size = written.dump_size;
  manifest.dump_sha256 = written.dump_sha256;
  manifest.zstd_level = options.zstd_level;
  if (options.key) manifest.encryption_key_id = archive::key_id(*options.key);
  manifest.tables = written.summary.tables;
  manifest.migrations = written.dump.migrations;
  manifest.finished_at = std::chrono::system_clock::now();
  // Written last: until this object exists, the archive is not a backup.
  store::put_string(store, catalog::manifest_key(manifest.id), archive::to_json(manifest));
  if (options.prune) {
    // Reached only after the manifest is stored: retention counts from this
    // backup, and a failed run above never deleted anything.
    PruneResult result = prune(store, catalog::read_catalog(store), options.prune->policy,
                               options.prune->calendar, std::chrono::system_clock::now(), false);
    if (pruned != nullptr) *pruned = std::move(result);
  }
  return manifest;
}

}  // namespace soulstone::backup
