// The streamed way (jobs == 1): one pass from the store into
// `pg_restore --single-transaction`, with the dump's last bytes held back
// until the archive is proven. Why this is safe: pg_restore cannot finish
// the last table's data, let alone reach its COMMIT, without those bytes;
// if the proof fails we kill it, its session ends inside the open
// transaction, and the server rolls everything back.

#include <chrono>

#include "archive/restore_sink.hpp"
#include "base/error.hpp"
#include "restore/internal.hpp"

namespace soulstone::restore::internal {

namespace {

using Clock = std::chrono::steady_clock;

// Any amount above zero blocks pg_restore; a little more keeps the copies
// of the held bytes rare.
constexpr std::size_t kHeldBack = 64 * 1024;

// Passes everything on except the last kHeldBack bytes, kept until release().
// finish() only records that the stream ended: releasing is the caller's
// decision, once the proof is complete.
class HoldBackSink final : public archive::ByteSink {
 public:
  HoldBackSink(archive::ByteSink& next, bool& failed) : next_(next), failed_(failed) {}

  void write(std::string_view data) override {
    held_.append(data);
    if (held_.size() < 2 * kHeldBack) return;
    try {
      next_.write(std::string_view(held_).substr(0, held_.size() - kHeldBack));
    } catch (...) {
      failed_ = true;
      throw;
    }
    held_.erase(0, held_.size() - kHeldBack);
  }
  void finish() override { ended_ = true; }

  void release() {
    if (!ended_) throw Error(ErrorKind::Failure, "internal: the archive was released before it ended");
    next_.write(held_);
    held_.clear();
    next_.finish();
  }

 private:
  archive::ByteSink& next_;
  bool& failed_;
  std::string held_;
  bool ended_ = false;
};

}  // namespace

void restore_streamed(Job& job, Result& result) {
  if (job.before_target) job.before_target();
  const auto started = Clock::now();
  archive::RestoreSink restore(
      job.target,
      {.clean = job.options.clean, .single_transaction = true, .session_settings = job.session_settings});
  HoldBackSink held(restore, job.destination_failed);
  archive::ArchiveReader reader(&held, job.manifest.encryption_key_id ? job.key : std::nullopt);
  read_archive(job, reader, Phase::Streaming);
  archive::ReadResult read = reader.result();
  result.dump_size = read.dump_size;
  require_match(job, read);  // throws: `restore` is destroyed, pg_restore killed, nothing committed
  job.proven = true;
  const auto proven = Clock::now();
  result.proving = proven - started;
  if (job.options.progress) job.options.progress(Phase::Committing, read.stored_size, read.stored_size);
  held.release();  // pg_restore finishes the last table, builds indexes and constraints, commits
  result.restoring = Clock::now() - proven;
}

}  // namespace soulstone::restore::internal
