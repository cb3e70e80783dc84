#include "archive/manifest_check.hpp"
#include "archive/pipeline.hpp"
#include "backup/backup.hpp"
#include "base/error.hpp"

namespace soulstone::backup {

VerifyReport verify(store::ObjectStore& store, const catalog::Entry& entry,
                    const std::optional<archive::Key>& key) {
  VerifyReport report{.id = entry.id};
  if (!entry.manifest) {
    report.problems.push_back(entry.problem);
    return report;
  }
  const archive::Manifest& manifest = *entry.manifest;
  if (manifest.encryption_key_id && !key) {
    report.problems.push_back("the archive is encrypted (key id " + *manifest.encryption_key_id +
                              ") and SOULSTONE_BACKUP_KEY is not set");
    return report;
  }
  archive::ArchiveReader reader(nullptr, manifest.encryption_key_id ? key : std::nullopt);
  try {
    store.get(manifest.archive_key, [&reader](std::string_view piece) { reader.write(piece); });
    reader.finish();
  } catch (const Error& error) {
    // A store that cannot be read, or a stop, says nothing about the archive.
    if (error.kind() == ErrorKind::Storage || error.kind() == ErrorKind::Interrupted) throw;
    report.problems.push_back(error.what());
  }
  archive::ReadResult read = reader.result();
  report.stored_size = read.stored_size;
  report.dump_size = read.dump_size;
  report.tables = read.summary.tables.size();
  bool read_failed = !report.problems.empty();
  for (auto& problem : archive::compare_stored(read, manifest))
    report.problems.push_back(std::move(problem));
  if (read_failed || !report.problems.empty()) return report;  // the rest would only repeat the damage
  report.problems = archive::compare_contents(read, manifest);
  return report;
}

}  // namespace soulstone::backup
