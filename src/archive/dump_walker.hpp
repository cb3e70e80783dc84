#pragma once
// Walks a pg_dump custom-format archive as it streams past and proves it is
// whole: the header and table of contents parse, every data block belongs to
// an entry of the table of contents, every entry that has data has its
// block, and the stream ends cleanly between blocks.
//
// This is what `pg_restore --list` does not do: it reads only the table of
// contents at the front, so it passes an archive cut off anywhere after it.
// The format is pg_dump's (src/bin/pg_dump/pg_backup_archiver.c and
// pg_backup_custom.c in PostgreSQL); docs/formats/backup.md summarises the
// parts we read. Archive versions 1.12 to 1.15 are understood. For
// uncompressed archives it also counts and fingerprints each table's rows.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "archive/fingerprint.hpp"
#include "archive/sink.hpp"

namespace soulstone::archive {

struct DumpSummary {
  int version_major = 0;
  int version_minor = 0;
  std::string database;
  std::string server_version;
  std::string pg_dump_version;
  std::size_t toc_entries = 0;
  std::size_t data_entries = 0;  // entries that carry data (TABLE DATA, BLOBS, ...)
  std::size_t data_blocks = 0;   // blocks found in the stream
  std::uint64_t data_bytes = 0;  // payload bytes of all blocks
  bool compressed = false;       // pg_dump compressed the data blocks itself
  // Per TABLE DATA entry, ordered by schema, then name; counted from the
  // COPY rows in the stream. Empty when the archive is compressed.
  std::vector<TableStats> tables;
};

// A sink that only reads. write() throws Error(Failure) naming the offset of
// the first inconsistency; finish() throws when the archive is truncated.
class DumpWalker final : public ByteSink {
 public:
  DumpWalker();
  ~DumpWalker() override;
  DumpWalker(const DumpWalker&) = delete;
  DumpWalker& operator=(const DumpWalker&) = delete;

  void write(std::string_view data) override;
  void finish() override;

  [[nodiscard]] const DumpSummary& summary() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::archive
