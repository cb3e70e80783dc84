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
    if (error.kind() == ErrorKind::Storage) throw;
    report.problems.push_back(error.what());
  }
  archive::ReadResult read = reader.result();
  report.stored_size = read.stored_size;
  report.dump_size = read.dump_size;
  report.tables = read.summary.tables.size();
  auto expect = [&report](bool holds, const std::string& problem) {
    if (!holds) report.problems.push_back(problem);
  };
  expect(read.stored_size == manifest.stored_size, "stored size " + std::to_string(read.stored_size) +
                                                       " differs from the manifest's " +
                                                       std::to_string(manifest.stored_size));
  expect(read.stored_sha256 == manifest.stored_sha256,
         "the stored bytes' SHA-256 differs from the manifest's");
  if (!report.problems.empty()) return report;  // the rest would only repeat the damage
  expect(read.dump_sha256 == manifest.dump_sha256, "the dump's SHA-256 differs from the manifest's");
  expect(read.summary.tables.size() == manifest.tables.size(),
         "the archive holds " + std::to_string(read.summary.tables.size()) + " tables, the manifest " +
             std::to_string(manifest.tables.size()));
  for (std::size_t i = 0; i < std::min(read.summary.tables.size(), manifest.tables.size()); ++i) {
    const auto& got = read.summary.tables[i];
    const auto& want = manifest.tables[i];
    expect(got.schema == want.schema && got.name == want.name && got.rows == want.rows &&
               got.fingerprint == want.fingerprint,
           "table " + want.schema + "." + want.name + " differs from the manifest");
  }
  return report;
}

}  // namespace soulstone::backup
