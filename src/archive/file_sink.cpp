#include "archive/file_sink.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/unique_fd.hpp"

namespace soulstone::archive {

namespace fs = std::filesystem;

struct AtomicFileSink::State {
  fs::path target;
  fs::path temporary;
  UniqueFd fd;
  bool done = false;

  [[noreturn]] void fail(const std::string& what, int err) {
    fd.reset();
    ::unlink(temporary.c_str());
    done = true;
    throw Error(ErrorKind::Failure, "cannot write " + target.string() + ": " + what + ": " + errno_text(err),
                err == ENOSPC ? "free some disk space and run again; nothing was left behind" : "");
  }
};

AtomicFileSink::AtomicFileSink(fs::path target) : state_(std::make_unique<State>()) {
  state_->target = fs::absolute(std::move(target));
  std::string pattern =
      (state_->target.parent_path() / ("." + state_->target.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkostemp(name.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) {
    int err = errno;
    throw Error(ErrorKind::Failure,
                "cannot create a file beside " + state_->target.string() + ": " + errno_text(err),
                "check that the folder exists and is writable");
  }
  state_->fd.reset(fd);
  state_->temporary = name.data();
}

AtomicFileSink::~AtomicFileSink() {
  if (!state_->done) ::unlink(state_->temporary.c_str());
}

void AtomicFileSink::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(state_->fd.get(), data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) state_->fail("write", errno);
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

void AtomicFileSink::finish() {
  if (::fsync(state_->fd.get()) != 0) state_->fail("fsync", errno);
  state_->fd.reset();
  if (::rename(state_->temporary.c_str(), state_->target.c_str()) != 0) state_->fail("rename", errno);
  state_->done = true;
  // Make the rename itself durable.
  UniqueFd folder(::open(state_->target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.valid()) ::fsync(folder.get());
}

void stream_file(const fs::path& source, ByteSink& sink) {
  UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) throw Error(ErrorKind::Input, "cannot open " + source.string() + ": " + errno_text(errno));
  std::string buffer(256 * 1024, '\0');
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(ErrorKind::Failure, "cannot read " + source.string() + ": " + errno_text(errno));
    if (got == 0) break;
    sink.write({buffer.data(), static_cast<std::size_t>(got)});
  }
  sink.finish();
}

}  // namespace soulstone::archive
