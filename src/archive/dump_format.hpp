#pragma once
// The primitives of pg_dump's custom format (src/bin/pg_dump/
// pg_backup_archiver.c and pg_backup_custom.c in PostgreSQL), shared by the
// code that walks an archive (DumpWalker) and the code that rewrites one
// (snapshot's anonymiser). docs/formats/backup.md summarises the parts read.
//
// Layout: a header and a table of contents (parsed together by
// parse_dump_head: they are small), then data blocks: a block type byte
// (kBlockData or kBlockBlobs), the dump id of its entry, then chunks, each
// an integer length and that many bytes, ended by a zero length. Integers
// are a sign byte and `int_size` bytes, least significant first.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::archive {

inline constexpr int kBlockData = 1;   // BLK_DATA
inline constexpr int kBlockBlobs = 3;  // BLK_BLOBS

// Throws Error(Failure) "the archive is corrupt at byte <offset>: <what>".
[[noreturn]] void corrupt(std::uint64_t offset, const std::string& what);

// Reads pg_dump's primitive values from a buffer; every read returns nullopt
// when the buffer ends first, so the caller waits for more bytes.
class DumpReader {
 public:
  DumpReader(std::string_view data, int int_size, int offset_size)
      : data_(data),
        int_size_(static_cast<std::size_t>(int_size)),
        offset_size_(static_cast<std::size_t>(offset_size)) {}

  std::optional<int> byte();
  // A sign byte, then int_size bytes, least significant first.
  std::optional<std::int64_t> integer();
  // A length (-1 for NULL), then the bytes.
  std::optional<std::optional<std::string>> string();
  // A flag byte, then offset_size bytes; returns the flag.
  std::optional<int> offset();
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t int_size_, offset_size_;
};

// An integer as pg_dump writes it, appended to `out`.
void append_dump_integer(std::string& out, std::int64_t value, int int_size);

// The data offset flags of a table-of-contents entry (K_OFFSET_*).
inline constexpr int kOffsetNotSet = 1;  // a piped pg_dump could not seek back to record it
inline constexpr int kOffsetNoData = 3;

struct TocEntry {
  std::int64_t id = 0;
  bool has_data = false;
  std::string tag;             // "users"
  std::string desc;            // "TABLE DATA"
  std::string namespace_name;  // "public"
  std::string copy_statement;  // "COPY public.users (id, email) FROM stdin;\n" for TABLE DATA
  int offset_flag = 0;         // kOffsetNotSet...
};

struct DumpHead {
  int version_major = 0;
  int version_minor = 0;
  int int_size = 4;
  int offset_size = 8;
  bool compressed = false;
  std::string database;
  std::string server_version;
  std::string pg_dump_version;
  std::vector<TocEntry> entries;  // in archive order
  std::size_t size = 0;           // bytes of header and table of contents
};

// Parses the header and table of contents at the start of `data`; nullopt
// when `data` ends before they do. Throws (corrupt) on anything malformed,
// including archive versions other than 1.12 to 1.15 and non-custom formats.
[[nodiscard]] std::optional<DumpHead> parse_dump_head(std::string_view data);

}  // namespace soulstone::archive
