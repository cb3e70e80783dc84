#include "store/cancellable.hpp"

#include <utility>

namespace soulstone::store {

namespace {

class CancellableWriter final : public ObjectWriter {
 public:
  CancellableWriter(std::unique_ptr<ObjectWriter> inner, std::stop_token stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}
  void write(std::string_view data) override {
    if (stop_.stop_requested()) throw Stopped();
    inner_->write(data);
  }
  ObjectInfo commit() override {
    // The last moment to abort before the object becomes visible.
    if (stop_.stop_requested()) throw Stopped();
    return inner_->commit();
  }

 private:
  std::unique_ptr<ObjectWriter> inner_;
  std::stop_token stop_;
};

class CancellableStore final : public ObjectStore {
 public:
  CancellableStore(std::unique_ptr<ObjectStore> inner, std::stop_token stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}

  // Only the flow of data is cut: writes, and reads after their first
  // piece. Small reads, listings and deletes still work after a stop, so
  // the backup's own clean-up (reading back and deleting its store lock)
  // runs as the job unwinds.
  std::unique_ptr<ObjectWriter> put(const std::string& key) override {
    return std::make_unique<CancellableWriter>(inner_->put(key), stop_);
  }
  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    bool first = true;
    inner_->get(key, [&](std::string_view piece) {
      if (!first) check();
      first = false;
      consume(piece);
    });
  }
  std::vector<ObjectInfo> list(const std::string& prefix) override { return inner_->list(prefix); }
  std::optional<ObjectInfo> head(const std::string& key) override { return inner_->head(key); }
  void remove(const std::string& key) override { inner_->remove(key); }
  std::string describe() const override { return inner_->describe(); }

 private:
  void check() const {
    if (stop_.stop_requested()) throw Stopped();
  }
  std::unique_ptr<ObjectStore> inner_;
  std::stop_token stop_;
};

}  // namespace

std::unique_ptr<ObjectStore> cancellable(std::unique_ptr<ObjectStore> inner, std::stop_token stop) {
  return std::make_unique<CancellableStore>(std::move(inner), std::move(stop));
}

}  // namespace soulstone::store
