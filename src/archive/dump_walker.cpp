#include "archive/dump_walker.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "base/error.hpp"

namespace soulstone::archive {

namespace {

constexpr int kBlockData = 1;   // BLK_DATA
constexpr int kBlockBlobs = 3;  // BLK_BLOBS

[[noreturn]] void corrupt(std::uint64_t offset, const std::string& what) {
  throw Error(ErrorKind::Failure, "the archive is corrupt at byte " + std::to_string(offset) + ": " + what);
}

// Reads pg_dump's primitive values from a buffer; every read returns nullopt
// when the buffer ends first, so the caller waits for more bytes.
class Reader {
 public:
  Reader(std::string_view data, int int_size, int offset_size)
      : data_(data), int_size_(int_size), offset_size_(offset_size) {}

  std::optional<int> byte() {
    if (pos_ + 1 > data_.size()) return std::nullopt;
    return static_cast<unsigned char>(data_[pos_++]);
  }
  // A sign byte, then int_size bytes, least significant first.
  std::optional<std::int64_t> integer() {
    if (pos_ + 1 + int_size_ > data_.size()) return std::nullopt;
    bool negative = data_[pos_] != 0;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < int_size_; ++i)
      value |= std::uint64_t(static_cast<unsigned char>(data_[pos_ + 1 + i])) << (8 * i);
    pos_ += 1 + int_size_;
    return negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
  }
  // A length (-1 for NULL), then the bytes.
  std::optional<std::optional<std::string>> string() {
    std::size_t start = pos_;
    auto length = integer();
    if (!length) return std::nullopt;
    if (*length < 0) return std::optional<std::string>{};
    if (pos_ + static_cast<std::size_t>(*length) > data_.size()) {
      pos_ = start;
      return std::nullopt;
    }
    std::string value(data_.substr(pos_, static_cast<std::size_t>(*length)));
    pos_ += static_cast<std::size_t>(*length);
    return std::optional<std::string>(std::move(value));
  }
  // A flag byte, then offset_size bytes.
  bool offset() {
    if (pos_ + 1 + offset_size_ > data_.size()) return false;
    pos_ += 1 + offset_size_;
    return true;
  }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t int_size_, offset_size_;
};

struct Entry {
  bool has_data = false;
  bool seen = false;
  bool table_data = false;  // desc "TABLE DATA": COPY rows of one table
  std::string schema;
  std::string name;
  std::string label;  // "TABLE DATA orders"
  TableFingerprint fingerprint;
};

enum class Phase { Head, BlockType, BlockId, ChunkLength, BlobOid, Skip };

}  // namespace

struct DumpWalker::State {
  DumpSummary summary;
  std::map<std::int64_t, Entry> entries;
  std::string buffer;
  std::size_t consumed = 0;  // of buffer
  std::uint64_t offset = 0;  // of buffer's first byte in the archive
  Phase phase = Phase::Head;
  int int_size = 4;
  int offset_size = 8;
  int block_type = 0;
  std::int64_t skip = 0;
  Entry* current = nullptr;  // the entry whose block is being read

  // Chunk payload: fingerprinted for table data of an uncompressed archive.
  void payload(std::string_view data) {
    summary.data_bytes += data.size();
    if (current != nullptr && current->table_data && !summary.compressed) current->fingerprint.add(data);
  }

  [[nodiscard]] std::uint64_t here() const { return offset + consumed; }

  // The header and the table of contents, parsed in one go once they are all
  // buffered (they are small); returns false when more bytes are needed.
  bool parse_head() {
    std::string_view data(buffer);
    if (data.size() < 8) return false;
    if (data.substr(0, 5) != "PGDMP") corrupt(0, "not a pg_dump custom-format archive (no PGDMP magic)");
    summary.version_major = static_cast<unsigned char>(data[5]);
    summary.version_minor = static_cast<unsigned char>(data[6]);
    if (summary.version_major != 1 || summary.version_minor < 12 || summary.version_minor > 15)
      corrupt(5, "archive version " + std::to_string(summary.version_major) + "." +
                     std::to_string(summary.version_minor) + " is not supported (1.12 to 1.15 are)");
    if (data.size() < 11) return false;
    int_size = static_cast<unsigned char>(data[8]);
    offset_size = static_cast<unsigned char>(data[9]);
    if (int_size < 1 || int_size > 8 || offset_size < 1 || offset_size > 8)
      corrupt(8, "impossible integer sizes");
    if (data[10] != 1)
      corrupt(10, "not the custom format (format byte " + std::to_string(int(data[10])) + ")");

    Reader in(data.substr(11), int_size, offset_size);
    // Compression: a byte naming the algorithm from 1.15, a level before.
    if (summary.version_minor >= 15) {
      auto algorithm = in.byte();
      if (!algorithm) return false;
      summary.compressed = *algorithm != 0;
    } else {
      auto level = in.integer();
      if (!level) return false;
      summary.compressed = *level != 0;
    }
    for (int i = 0; i < 7; ++i)  // creation time: sec, min, hour, mday, mon, year, isdst
      if (!in.integer()) return false;
    auto database = in.string();
    auto server = database ? in.string() : std::nullopt;
    auto dumper = server ? in.string() : std::nullopt;
    if (!dumper) return false;
    summary.database = database->value_or("");
    summary.server_version = server->value_or("");
    summary.pg_dump_version = dumper->value_or("");

    auto count = in.integer();
    if (!count) return false;
    if (*count < 0) corrupt(here(), "negative table-of-contents size");
    std::map<std::int64_t, Entry> parsed;
    for (std::int64_t i = 0; i < *count; ++i) {
      auto id = in.integer();
      auto had_dumper = id ? in.integer() : std::nullopt;
      if (!had_dumper) return false;
      std::optional<std::string> fields[12];
      // tableoid, oid, tag, desc; section; defn, drop, copy, namespace, tablespace, [tableam], owner,
      // withOids
      const int strings_before_section = 4;
      for (int f = 0; f < strings_before_section; ++f) {
        auto value = in.string();
        if (!value) return false;
        fields[f] = *value;
      }
      if (!in.integer()) return false;  // section
      // defn, drop, copy, namespace, tablespace, [tableam from 1.14], owner, withOids
      const int strings_after_section = summary.version_minor >= 14 ? 8 : 7;
      std::optional<std::string> namespace_name;
      for (int f = 0; f < strings_after_section; ++f) {
        auto value = in.string();
        if (!value) return false;
        if (f == 3) namespace_name = *value;
      }
      for (;;) {  // dependencies, ended by a NULL string
        auto dependency = in.string();
        if (!dependency) return false;
        if (!*dependency) break;
      }
      if (!in.offset()) return false;
      Entry entry{.has_data = *had_dumper != 0,
                  .table_data = fields[3] == "TABLE DATA",
                  .schema = namespace_name.value_or(""),
                  .name = fields[2].value_or(""),
                  .label = fields[3].value_or("?") + " " + fields[2].value_or("?")};
      if (!parsed.emplace(*id, std::move(entry)).second)
        corrupt(here(), "duplicate dump id " + std::to_string(*id) + " in the table of contents");
    }
    entries = std::move(parsed);
    summary.toc_entries = entries.size();
    for (const auto& [id, entry] : entries)
      summary.data_entries += entry.has_data ? 1 : 0;
    consumed = 11 + in.position();
    phase = Phase::BlockType;
    return true;
  }

  // Advances through blocks and chunks; returns false when more bytes are needed.
  bool step() {
    std::string_view data = std::string_view(buffer).substr(consumed);
    if (phase == Phase::Skip) {
      auto take =
          static_cast<std::size_t>(std::min<std::int64_t>(skip, static_cast<std::int64_t>(data.size())));
      payload(data.substr(0, take));
      consumed += take;
      skip -= static_cast<std::int64_t>(take);
      if (skip > 0) return false;
      phase = Phase::ChunkLength;
      return true;
    }
    Reader in(data, int_size, offset_size);
    switch (phase) {
      case Phase::BlockType: {
        auto type = in.byte();
        if (!type) return false;
        if (*type != kBlockData && *type != kBlockBlobs)
          corrupt(here(), "unknown block type " + std::to_string(*type));
        block_type = *type;
        phase = Phase::BlockId;
        break;
      }
      case Phase::BlockId: {
        auto id = in.integer();
        if (!id) return false;
        auto entry = entries.find(*id);
        if (entry == entries.end()) corrupt(here(), "data block for unknown dump id " + std::to_string(*id));
        if (entry->second.seen) corrupt(here(), "second data block for " + entry->second.label);
        entry->second.seen = true;
        current = &entry->second;
        ++summary.data_blocks;
        phase = block_type == kBlockData ? Phase::ChunkLength : Phase::BlobOid;
        break;
      }
      case Phase::BlobOid: {
        auto oid = in.integer();
        if (!oid) return false;
        phase = *oid == 0 ? Phase::BlockType : Phase::ChunkLength;
        break;
      }
      case Phase::ChunkLength: {
        auto length = in.integer();
        if (!length) return false;
        if (*length < 0) corrupt(here(), "negative chunk length");
        if (*length == 0) {
          if (block_type == kBlockData && current != nullptr) current->fingerprint.finish();
          phase = block_type == kBlockData ? Phase::BlockType : Phase::BlobOid;
        } else {
          skip = *length;
          phase = Phase::Skip;
        }
        break;
      }
      default:
        return false;
    }
    consumed += in.position();
    return true;
  }
};

DumpWalker::DumpWalker() : state_(std::make_unique<State>()) {}
DumpWalker::~DumpWalker() = default;

void DumpWalker::write(std::string_view data) {
  State& s = *state_;
  // In the middle of a large chunk, skip straight over the payload.
  if (s.phase == Phase::Skip && s.consumed == s.buffer.size()) {
    auto take =
        static_cast<std::size_t>(std::min<std::int64_t>(s.skip, static_cast<std::int64_t>(data.size())));
    s.payload(data.substr(0, take));
    s.skip -= static_cast<std::int64_t>(take);
    s.offset += take;
    data.remove_prefix(take);
    if (s.skip == 0) s.phase = Phase::ChunkLength;
  }
  s.buffer.append(data);
  if (s.phase == Phase::Head && !s.parse_head()) return;
  while (s.step()) {
  }
  // Keep only the unread tail, so memory stays bounded by one write.
  s.offset += s.consumed;
  s.buffer.erase(0, s.consumed);
  s.consumed = 0;
}

void DumpWalker::finish() {
  State& s = *state_;
  if (s.phase == Phase::Head)
    throw Error(ErrorKind::Failure,
                "the archive is truncated: it ends inside its header or table of contents");
  if (s.phase != Phase::BlockType || !s.buffer.empty())
    throw Error(ErrorKind::Failure,
                "the archive is truncated: it ends inside a data block at byte " + std::to_string(s.here()));
  std::size_t missing = 0;
  std::string first;
  for (const auto& [id, entry] : s.entries) {
    if (entry.has_data && !entry.seen && missing++ == 0) first = entry.label;
  }
  if (missing > 0)
    throw Error(ErrorKind::Failure, "the archive is truncated: no data for " + first +
                                        (missing > 1 ? " and " + std::to_string(missing - 1) + " more" : ""));
  if (s.summary.compressed) return;
  for (auto& [id, entry] : s.entries) {
    if (!entry.table_data) continue;
    s.summary.tables.push_back({.schema = entry.schema,
                                .name = entry.name,
                                .rows = entry.fingerprint.rows(),
                                .fingerprint = entry.fingerprint.hex()});
  }
  std::sort(s.summary.tables.begin(), s.summary.tables.end(), [](const TableStats& a, const TableStats& b) {
    return a.schema != b.schema ? a.schema < b.schema : a.name < b.name;
  });
}

const DumpSummary& DumpWalker::summary() const noexcept { return state_->summary; }

}  // namespace soulstone::archive
