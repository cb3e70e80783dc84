#include "store/file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace soulstone::store {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTemporaryMark = ".soulstone-tmp-";

[[noreturn]] void fail(const std::string& what, const fs::path& path, int err) {
  throw Error(ErrorKind::Storage, what + " " + path.string() + ": " + errno_text(err),
              err == ENOSPC ? "the disk is full: free space, then run again; nothing partial was left" : "");
}

void sync_folder(const fs::path& folder) {
  UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) ::fsync(fd.get());
}

std::chrono::system_clock::time_point modified_time(const struct stat& info) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(info.st_mtim.tv_sec) +
                                               std::chrono::nanoseconds(info.st_mtim.tv_nsec));
}

class FileWriter final : public ObjectWriter {
 public:
  FileWriter(fs::path target, std::string key) : target_(std::move(target)), key_(std::move(key)) {
    std::error_code error;
    fs::create_directories(target_.parent_path(), error);
    if (error) fail("cannot create the folder of", target_, error.value());
    std::string pattern =
        (target_.parent_path() / (std::string(kTemporaryMark) + target_.filename().string() + ".XXXXXX"))
            .string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    fd_.reset(::mkostemp(name.data(), O_CLOEXEC));  // 0600
    if (!fd_.valid()) fail("cannot create a temporary file beside", target_, errno);
    temporary_ = name.data();
  }
  ~FileWriter() override {
    if (!committed_) ::unlink(temporary_.c_str());
  }
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(std::string_view data) override {
    while (!data.empty()) {
      ssize_t written = ::write(fd_.get(), data.data(), data.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) abort_with("cannot write", errno);
      data.remove_prefix(static_cast<std::size_t>(written));
      size_ += static_cast<std::uint64_t>(written);
    }
  }

  ObjectInfo commit() override {
    if (::fsync(fd_.get()) != 0) abort_with("cannot fsync", errno);
    fd_.reset();
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) abort_with("cannot rename into", errno);
    committed_ = true;
    sync_folder(target_.parent_path());  // the rename itself must survive a crash
    return {.key = key_, .size = size_, .modified = std::chrono::system_clock::now()};
  }

 private:
  [[noreturn]] void abort_with(const std::string& what, int err) {
    fd_.reset();
    ::unlink(temporary_.c_str());
    committed_ = true;  // nothing left to clean
    fail(what, target_, err);
  }

  fs::path target_, temporary_;
  std::string key_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
  bool committed_ = false;
};

class FileStore final : public ObjectStore {
 public:
  explicit FileStore(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {}

  std::unique_ptr<ObjectWriter> put(const std::string& key) override {
    return std::make_unique<FileWriter>(path_of(key), key);
  }

  void get(const std::string& key, const std::function<void(std::string_view)>& consume) override {
    fs::path path = path_of(key);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) fail("cannot open", path, errno);
    std::string buffer(256 * 1024, '\0');
    for (;;) {
      ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail("cannot read", path, errno);
      if (got == 0) return;
      consume({buffer.data(), static_cast<std::size_t>(got)});
    }
  }

  std::vector<ObjectInfo> list(const std::string& prefix) override {
    std::vector<ObjectInfo> out;
    if (!fs::exists(root_)) return out;  // an empty store
    std::error_code error;
    fs::recursive_directory_iterator it(root_, error), end;
    if (error) fail("cannot list", root_, error.value());
    for (; it != end; it.increment(error)) {
      if (error) fail("cannot list", root_, error.value());
      if (!it->is_regular_file()) continue;
      std::string name = it->path().filename().string();
      if (name.rfind(kTemporaryMark, 0) == 0) continue;  // a write in progress (or a crash's leftover)
      std::string key = it->path().lexically_relative(root_).generic_string();
      if (key.rfind(prefix, 0) != 0) continue;
      struct stat info {};
      if (::stat(it->path().c_str(), &info) != 0) fail("cannot stat", it->path(), errno);
      out.push_back({key, static_cast<std::uint64_t>(info.st_size), modified_time(info)});
    }
    if (error) fail("cannot list", root_, error.value());
    std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    return out;
  }

  std::optional<ObjectInfo> head(const std::string& key) override {
    struct stat info {};
    fs::path path = path_of(key);
    if (::stat(path.c_str(), &info) != 0) {
      if (errno == ENOENT) return std::nullopt;
      fail("cannot stat", path, errno);
    }
    return ObjectInfo{key, static_cast<std::uint64_t>(info.st_size), modified_time(info)};
  }

  void remove(const std::string& key) override {
    fs::path path = path_of(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("cannot delete", path, errno);
  }

  std::string describe() const override { return "file://" + root_.string(); }

 private:
  fs::path path_of(const std::string& key) const {
    fs::path relative = fs::path(key).lexically_normal();
    if (key.empty() || relative.is_absolute() || *relative.begin() == "..")
      throw Error(ErrorKind::Storage, "object key '" + key + "' leaves the store " + describe());
    return root_ / relative;
  }

  fs::path root_;
};

}  // namespace

std::unique_ptr<ObjectStore> open_file_store(const fs::path& root) {
  return std::make_unique<FileStore>(root);
}

}  // namespace soulstone::store
