#include "catalog/catalog.hpp"

#include <algorithm>
#include <map>

#include "base/error.hpp"

namespace soulstone::catalog {

namespace {

constexpr std::string_view kPrefix = "soulstone-";
constexpr std::string_view kManifestSuffix = ".manifest.json";
constexpr std::string_view kArchiveSuffix = ".dump.zst";
constexpr std::string_view kEncryptedSuffix = ".dump.zst.enc";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The backup id of an object key, or "" when the key is not a backup object.
std::string id_of(std::string_view key, bool& is_manifest) {
  if (key.find('/') != std::string_view::npos || key.substr(0, kPrefix.size()) != kPrefix) return {};
  for (auto suffix : {kManifestSuffix, kEncryptedSuffix, kArchiveSuffix}) {
    if (ends_with(key, suffix)) {
      is_manifest = suffix == kManifestSuffix;
      return std::string(key.substr(0, key.size() - suffix.size()));
    }
  }
  return {};
}

}  // namespace

std::chrono::system_clock::time_point Entry::time() const {
  if (manifest) return manifest->finished_at;
  if (archive) return archive->modified;
  return {};
}

const Entry* Catalog::latest_good() const {
  for (const Entry& entry : entries)
    if (entry.good()) return &entry;
  return nullptr;
}

const Entry* Catalog::find(const std::string& id) const {
  if (id == "latest") return latest_good();
  for (const Entry& entry : entries)
    if (entry.id == id) return &entry;
  return nullptr;
}

std::string archive_key(const std::string& id, bool encrypted) {
  return id + std::string(encrypted ? kEncryptedSuffix : kArchiveSuffix);
}

std::string manifest_key(const std::string& id) { return id + std::string(kManifestSuffix); }

std::string backup_id(std::chrono::system_clock::time_point started) {
  std::string text = archive::format_utc(started);  // 2026-11-24T02:00:00Z
  std::string digits;
  for (char c : text)
    if (c >= '0' && c <= '9') digits.push_back(c);
  return std::string(kPrefix) + digits.substr(0, 8) + "-" + digits.substr(8, 6);
}

Catalog read_catalog(store::ObjectStore& store) {
  std::map<std::string, Entry> by_id;
  for (const store::ObjectInfo& object : store.list("")) {
    bool is_manifest = false;
    std::string id = id_of(object.key, is_manifest);
    if (id.empty()) continue;
    Entry& entry = by_id[id];
    entry.id = id;
    if (is_manifest) {
      entry.manifest_key = object.key;
    } else {
      entry.archive = object;
    }
  }
  Catalog catalog;
  for (auto& [id, entry] : by_id) {
    if (entry.manifest_key) {
      try {
        entry.manifest =
            archive::manifest_from_json(store::get_string(store, *entry.manifest_key), *entry.manifest_key);
      } catch (const Error& error) {
        // Cannot read, or stopped: never guess.
        if (error.kind() == ErrorKind::Storage || error.kind() == ErrorKind::Interrupted) throw;
        entry.problem = error.what();
      }
    }
    if (!entry.manifest) {
      if (entry.problem.empty()) entry.problem = "incomplete: no manifest";
    } else if (!entry.archive || entry.archive->key != entry.manifest->archive_key) {
      entry.problem = "the archive object " + entry.manifest->archive_key + " is missing";
    } else if (entry.archive->size != entry.manifest->stored_size) {
      entry.problem = "the archive holds " + std::to_string(entry.archive->size) +
                      " bytes, the manifest says " + std::to_string(entry.manifest->stored_size);
    }
    catalog.entries.push_back(std::move(entry));
  }
  std::sort(catalog.entries.begin(), catalog.entries.end(), [](const Entry& a, const Entry& b) {
    return a.time() != b.time() ? a.time() > b.time() : a.id > b.id;
  });
  return catalog;
}

}  // namespace soulstone::catalog
