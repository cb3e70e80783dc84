#pragma once
// Where the backup store and its key come from, for every command that reads
// or writes backups: the flag, else SOULSTONE_BACKUP_URL; an S3 endpoint from
// --endpoint, else AWS_ENDPOINT_URL_S3 (read by the store); the key from
// SOULSTONE_BACKUP_KEY (64 hex digits).

#include <memory>
#include <optional>
#include <string>

#include "archive/cipher_sink.hpp"
#include "store/store.hpp"

namespace soulstone::cli {

[[nodiscard]] std::unique_ptr<store::ObjectStore> open_configured_store(const std::string& flag,
                                                                        const std::string& endpoint = {});
[[nodiscard]] std::optional<archive::Key> configured_key();

}  // namespace soulstone::cli
