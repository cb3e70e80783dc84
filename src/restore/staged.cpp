// The staged way (jobs > 1): pg_restore --jobs needs a seekable file, so the
// decoded dump is staged in a private temporary file while it is proven, and
// only a proven file reaches pg_restore. The target is untouched until then.

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "archive/restore_sink.hpp"
#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "base/unique_fd.hpp"
#include "restore/internal.hpp"

namespace soulstone::restore::internal {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// The staged file: created exclusively with mode 0600 inside a 0700 folder.
// No fsync: it lives only as long as this restore, and a crash loses nothing
// that the store does not still hold.
class StagingSink final : public archive::ByteSink {
 public:
  StagingSink(fs::path path, bool& failed) : path_(std::move(path)), failed_(failed) {
    fd_.reset(::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd_.valid()) fail("create");
  }
  void write(std::string_view data) override {
    while (!data.empty()) {
      ssize_t written = ::write(fd_.get(), data.data(), data.size());
      if (written < 0 && errno == EINTR) continue;
      if (written < 0) fail("write");
      data.remove_prefix(static_cast<std::size_t>(written));
    }
  }
  void finish() override {
    if (::close(fd_.release()) != 0) fail("close");
  }

 private:
  [[noreturn]] void fail(const char* what) {
    int err = errno;
    failed_ = true;
    throw Error(ErrorKind::Failure,
                std::string("cannot ") + what + " the staged dump " + path_.string() + ": " + errno_text(err),
                err == ENOSPC ? "free space there, point --staging-dir (or TMPDIR) elsewhere, or restore "
                                "without --jobs (streamed, nothing staged)"
                              : "");
  }
  fs::path path_;
  bool& failed_;
  UniqueFd fd_;
};

fs::path staging_base(const Options& options) {
  if (!options.staging_dir.empty()) return options.staging_dir;
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? fs::path(tmp) : fs::path("/tmp");
}

// Refuses up front rather than fill the disk and fail half-way.
void require_space(const fs::path& folder, std::uint64_t needed) {
  struct statvfs info {};
  if (::statvfs(folder.c_str(), &info) != 0) return;  // unknown: let the writes tell
  std::uint64_t free_bytes = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
  if (free_bytes >= needed) return;
  throw Error(ErrorKind::Failure,
              "the staging folder " + folder.string() + " has " + std::to_string(free_bytes >> 20) +
                  " MiB free, and the dump needs " + std::to_string((needed >> 20) + 1) + " MiB",
              "nothing was restored; point --staging-dir (or TMPDIR) at a larger disk, or restore without "
              "--jobs (streamed, nothing staged)");
}

}  // namespace

void restore_staged(Job& job, Result& result) {
  const auto started = Clock::now();
  fs::path base = staging_base(job.options);
  require_space(base, job.manifest.dump_size);
  TempDir folder("soulstone-restore-", base);  // 0700, removed with the file in every case
  fs::path file = folder.path() / (job.manifest.id + ".dump");
  {
    StagingSink staged(file, job.destination_failed);
    archive::ArchiveReader reader(&staged, job.manifest.encryption_key_id ? job.key : std::nullopt);
    read_archive(job, reader, Phase::Staging);
    archive::ReadResult read = reader.result();
    result.dump_size = read.dump_size;
    require_match(job, read);
  }
  job.proven = true;
  const auto proven = Clock::now();
  result.proving = proven - started;

  if (job.before_target) job.before_target();
  if (job.options.progress)
    job.options.progress(Phase::Restoring, job.manifest.stored_size, job.manifest.stored_size);
  archive::restore_file(
      file.string(), job.target,
      {.clean = job.options.clean, .jobs = job.options.jobs, .session_settings = job.session_settings});
  result.restoring = Clock::now() - proven;
}

}  // namespace soulstone::restore::internal
