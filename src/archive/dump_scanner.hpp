#pragma once
// The block structure of a pg_dump custom-format stream, pushed through in
// pieces of any size: the header and table of contents (parsed once they are
// all buffered: they are small), then data blocks, each a run of chunks.
// The walker (which proves a stream whole and fingerprints its rows) and the
// snapshot's anonymiser (which rewrites rows) both read archives through it.
//
// The scanner rejects what no archive can hold (an unknown block type, a
// negative chunk length) and leaves every other judgement to its visitor.
// Every element comes with its exact bytes, so a visitor that copies every
// `raw` and payload piece reproduces the stream byte for byte. Memory is
// bounded by one write: payload is handed on as it arrives.

#include <cstdint>
#include <memory>
#include <string_view>

#include "archive/dump_format.hpp"

namespace soulstone::archive {

// Where an element starts in the stream, and its bytes as they came.
struct DumpElement {
  std::uint64_t at = 0;
  std::string_view raw;
};

class DumpVisitor {
 public:
  virtual ~DumpVisitor() = default;
  virtual void head(const DumpHead& head, DumpElement element) = 0;
  // A block starts: kBlockData (one entry's data: chunks, then a zero
  // length) or kBlockBlobs (blob oids, each followed by chunks and a zero
  // length; oid 0 ends the block). The dump id follows.
  virtual void block_type(int type, DumpElement element) = 0;
  virtual void block_id(std::int64_t id, DumpElement element) = 0;
  virtual void blob_oid(std::int64_t oid, DumpElement element) = 0;
  // 0 ends the data block, or the blob.
  virtual void chunk_length(std::int64_t length, DumpElement element) = 0;
  // The current chunk's bytes, in pieces; `at` is where this piece starts.
  virtual void payload(std::string_view data, std::uint64_t at) = 0;
};

class DumpScanner {
 public:
  explicit DumpScanner(DumpVisitor& visitor);
  ~DumpScanner();
  DumpScanner(const DumpScanner&) = delete;
  DumpScanner& operator=(const DumpScanner&) = delete;

  // Throws Error(Failure) "the archive is corrupt at byte N: ..." (from
  // the scanner or its visitor).
  void write(std::string_view data);

  // Where the stream stands: callers word their own truncation errors.
  [[nodiscard]] bool in_head() const noexcept;
  [[nodiscard]] bool between_blocks() const noexcept;  // and nothing unread
  [[nodiscard]] std::uint64_t position() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::archive
