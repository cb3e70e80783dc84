#pragma once
// Object storage behind one small interface, so backups, the catalog and the
// tests run the same code on a local folder (file://) or S3 (s3://).
//
// Contract of every back end:
// * An object becomes visible under its key only when its writer commits;
//   a writer destroyed uncommitted leaves nothing visible (and aborts any
//   multipart upload).
// * list() returns every object under the prefix or throws: it never returns
//   a partial listing, because retention deletes by what is *not* listed.
// * Errors are soulstone::Error of kind Storage; messages name the store by
//   describe(), which never holds a secret.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::store {

struct ObjectInfo {
  std::string key;  // relative to the store's root
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point modified;
};

class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;  // uncommitted: aborted, nothing visible
  virtual void write(std::string_view data) = 0;
  // Makes the object visible; returns what the store now holds.
  virtual ObjectInfo commit() = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  [[nodiscard]] virtual std::unique_ptr<ObjectWriter> put(const std::string& key) = 0;
  // Streams the object to `consume` in pieces; throws if it does not exist.
  virtual void get(const std::string& key, const std::function<void(std::string_view)>& consume) = 0;
  [[nodiscard]] virtual std::vector<ObjectInfo> list(const std::string& prefix) = 0;
  [[nodiscard]] virtual std::optional<ObjectInfo> head(const std::string& key) = 0;
  virtual void remove(const std::string& key) = 0;
  // The store's URL for messages (no credentials).
  [[nodiscard]] virtual std::string describe() const = 0;
};

// Settings of a store that are not part of its URL.
struct StoreOptions {
  std::string endpoint;  // s3: the service's URL (overrides AWS_ENDPOINT_URL_S3)
};

// file:///abs/folder, a plain folder path, or s3://bucket/prefix (configured
// from the environment: store/s3_store.hpp). Throws Error(Input) for anything
// else.
[[nodiscard]] std::unique_ptr<ObjectStore> open_store(const std::string& url,
                                                      const StoreOptions& options = {});

// Convenience: a whole small object as a string (manifests).
[[nodiscard]] std::string get_string(ObjectStore& store, const std::string& key);
void put_string(ObjectStore& store, const std::string& key, std::string_view text);

}  // namespace soulstone::store
