#pragma once
// The backups in a store, read from their manifests: the source of truth for
// "the latest good backup". A backup is good exactly when its manifest
// parses and names an archive object of the size it records; an archive
// without a manifest is incomplete (a crash or a failed upload).
// Object names are specified in docs/formats/backup.md.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "archive/manifest.hpp"
#include "store/store.hpp"

namespace soulstone::catalog {

struct Entry {
  std::string id;  // soulstone-YYYYMMDD-HHMMSS
  std::optional<archive::Manifest> manifest;
  std::optional<store::ObjectInfo> archive;  // the archive object, when present
  std::optional<std::string> manifest_key;
  std::string problem;  // why it is not good; empty when good

  [[nodiscard]] bool good() const { return manifest.has_value() && problem.empty(); }
  // The manifest's finish time when there is one, else the archive object's time.
  [[nodiscard]] std::chrono::system_clock::time_point time() const;
};

struct Catalog {
  std::vector<Entry> entries;  // newest first, by time()
  [[nodiscard]] const Entry* latest_good() const;
  [[nodiscard]] const Entry* find(const std::string& id) const;  // "latest" names latest_good()
};

// Lists the store once and reads every manifest. Throws Error(Storage) when
// the listing fails: callers must never act on a partial catalog.
[[nodiscard]] Catalog read_catalog(store::ObjectStore& store);

// Object keys of a backup id.
[[nodiscard]] std::string archive_key(const std::string& id, bool encrypted);
[[nodiscard]] std::string manifest_key(const std::string& id);
// soulstone-YYYYMMDD-HHMMSS for a UTC time.
[[nodiscard]] std::string backup_id(std::chrono::system_clock::time_point started);

}  // namespace soulstone::catalog
