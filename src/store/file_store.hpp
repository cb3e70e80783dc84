#pragma once
// The file:// back end: objects are files under a root folder; keys with '/'
// are sub-folders. Writes go to a hidden temporary file in the target folder
// (mode 0600), are fsynced and renamed into place, and the folder is fsynced,
// so a crash leaves either the whole object or none (docs/formats/store.md).

#include <filesystem>

#include "store/store.hpp"

namespace soulstone::store {

[[nodiscard]] std::unique_ptr<ObjectStore> open_file_store(const std::filesystem::path& root);

}  // namespace soulstone::store
