#pragma once
// The whole backup pipeline, both ways:
//   write: pg_dump -> digest(dump) -> zstd -> [encrypt] -> digest(stored) -> destination
//   read:  source bytes -> digest(stored) -> [decrypt] -> zstd -d -> digest(dump) -> walker -> target
// Backups (into a store) and local snapshots (into a file) share it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "archive/cipher_sink.hpp"
#include "archive/dump_walker.hpp"
#include "archive/pg_dump_stream.hpp"
#include "archive/sink.hpp"
#include "archive/zstd_sink.hpp"

namespace soulstone::archive {

struct WriteOptions {
  ZstdOptions zstd{.workers = 2};
  std::optional<Key> key;  // encrypt when set
  std::function<void(std::uint64_t dump_bytes)> progress;
  // A stage between pg_dump and the rest of the pipeline (the snapshot's
  // anonymiser): given the next sink, returns the stage that feeds it, which
  // the caller owns and keeps alive until write_archive returns. The digest,
  // the walk and the stored bytes then see the stage's output.
  std::function<ByteSink&(ByteSink& next)> transform;
};

struct WriteResult {
  DumpResult dump;
  DumpSummary summary;  // from walking the stream as it was written: tables, rows, fingerprints
  std::uint64_t dump_size = 0;
  std::string dump_sha256;
  std::uint64_t stored_size = 0;
  std::string stored_sha256;
};

// Streams a new archive of `database` into `destination`, which is finished
// only when pg_dump succeeded and the walk proved the stream whole.
WriteResult write_archive(const pg::ConnInfo& database, ByteSink& destination, const WriteOptions& options);

struct ReadResult {
  std::uint64_t stored_size = 0;
  std::string stored_sha256;
  std::uint64_t dump_size = 0;
  std::string dump_sha256;
  DumpSummary summary;
};

// Decodes a stored archive pushed into it, walks the dump to prove it whole
// and passes the plain pg_dump stream on to `target` (may be null: verify only).
class ArchiveReader final : public ByteSink {
 public:
  ArchiveReader(ByteSink* target, const std::optional<Key>& key);
  ~ArchiveReader() override;
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;
  void write(std::string_view data) override;
  void finish() override;
  // Valid after finish().
  [[nodiscard]] ReadResult result() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::archive
