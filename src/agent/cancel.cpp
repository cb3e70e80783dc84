#include "agent/cancel.hpp"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace soulstone::agent {

namespace {

class CancellableWriter final : public store::ObjectWriter {
 public:
  CancellableWriter(std::unique_ptr<store::ObjectWriter> inner, std::stop_token stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}
  void write(std::string_view data) override {
    if (stop_.stop_requested()) throw Aborted();
    inner_->write(data);
  }
  store::ObjectInfo commit() override {
    // The last moment to abort before the object becomes visible.
    if (stop_.stop_requested()) throw Aborted();
    return inner_->commit();
  }

 private:
  std::unique_ptr<store::ObjectWriter> inner_;
  std::stop_token stop_;
};

class CancellableStore final : public store::ObjectStore {
 public:
  CancellableStore(std::unique_ptr<store::ObjectStore> inner, std::stop_token stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}

  // Only the flow of data is cut: writes, and reads after their first
  // piece. Small reads, listings and deletes still work after a stop, so
  // the backup's own clean-up (reading back and deleting its store lock)
  // runs as the job unwinds.
  std::unique_ptr<store::ObjectWriter> put(const std::string& key) override {
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
  std::vector<store::ObjectInfo> list(const std::string& prefix) override { return inner_->list(prefix); }
  std::optional<store::ObjectInfo> head(const std::string& key) override { return inner_->head(key); }
  void remove(const std::string& key) override { inner_->remove(key); }
  std::string describe() const override { return inner_->describe(); }

 private:
  void check() const {
    if (stop_.stop_requested()) throw Aborted();
  }
  std::unique_ptr<store::ObjectStore> inner_;
  std::stop_token stop_;
};

}  // namespace

std::unique_ptr<store::ObjectStore> cancellable(std::unique_ptr<store::ObjectStore> inner,
                                                std::stop_token stop) {
  return std::make_unique<CancellableStore>(std::move(inner), std::move(stop));
}

int terminate_tool_children() {
  const pid_t self = ::getpid();
  int signalled = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so parse from the last ')'.
    std::size_t open = line.find('(');
    std::size_t close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::string comm = line.substr(open + 1, close - open - 1);
    char state = 0;
    long parent = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &parent) != 2 || parent != self) continue;
    if (comm != "pg_dump" && comm != "pg_restore" && comm != "psql") continue;
    if (::kill(static_cast<pid_t>(std::stol(name)), SIGTERM) == 0) ++signalled;
  }
  return signalled;
}

}  // namespace soulstone::agent
