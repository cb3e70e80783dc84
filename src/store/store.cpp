#include "store/store.hpp"

#include "base/error.hpp"
#include "store/file_store.hpp"
#include "store/s3_store.hpp"

namespace soulstone::store {

std::unique_ptr<ObjectStore> open_store(const std::string& url, const StoreOptions& options) {
  if (url.rfind("file://", 0) == 0) return open_file_store(url.substr(7));
  if (url.rfind("s3://", 0) == 0) return open_s3_store(s3_config(url, options, process_environment()));
  if (url.find("://") != std::string::npos)
    throw Error(ErrorKind::Input, "unknown store URL '" + url + "'",
                "use file:///folder or s3://bucket/prefix");
  if (url.empty())
    throw Error(ErrorKind::Input, "no backup store given", "pass --store or set SOULSTONE_BACKUP_URL");
  return open_file_store(url);
}

std::string get_string(ObjectStore& store, const std::string& key) {
  std::string out;
  store.get(key, [&out](std::string_view piece) { out.append(piece); });
  return out;
}

void put_string(ObjectStore& store, const std::string& key, std::string_view text) {
  auto writer = store.put(key);
  writer->write(text);
  (void)writer->commit();
}

}  // namespace soulstone::store
