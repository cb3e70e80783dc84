#include "cli/store_settings.hpp"

#include <cstdlib>

namespace soulstone::cli {

std::unique_ptr<store::ObjectStore> open_configured_store(const std::string& flag,
                                                          const std::string& endpoint) {
  std::string url = flag;
  if (url.empty())
    if (const char* env = std::getenv("SOULSTONE_BACKUP_URL")) url = env;
  return store::open_store(url, {.endpoint = endpoint});
}

std::optional<archive::Key> configured_key() {
  const char* text = std::getenv("SOULSTONE_BACKUP_KEY");
  if (text == nullptr || *text == '\0') return std::nullopt;
  return archive::parse_key_hex(text);
}

}  // namespace soulstone::cli
