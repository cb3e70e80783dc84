#include "archive/dump_walker.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "archive/dump_format.hpp"
#include "base/error.hpp"

namespace soulstone::archive {

namespace {

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
    std::optional<DumpHead> head = parse_dump_head(buffer);
    if (!head) return false;
    summary.version_major = head->version_major;
    summary.version_minor = head->version_minor;
    summary.compressed = head->compressed;
    summary.database = head->database;
    summary.server_version = head->server_version;
    summary.pg_dump_version = head->pg_dump_version;
    int_size = head->int_size;
    offset_size = head->offset_size;
    std::map<std::int64_t, Entry> parsed;
    for (TocEntry& toc : head->entries) {
      Entry entry{.has_data = toc.has_data,
                  .table_data = toc.desc == "TABLE DATA",
                  .schema = std::move(toc.namespace_name),
                  .name = toc.tag,
                  .label = (toc.desc.empty() ? "?" : toc.desc) + " " + (toc.tag.empty() ? "?" : toc.tag)};
      if (!parsed.emplace(toc.id, std::move(entry)).second)
        corrupt(head->size, "duplicate dump id " + std::to_string(toc.id) + " in the table of contents");
    }
    entries = std::move(parsed);
    summary.toc_entries = entries.size();
    for (const auto& [id, entry] : entries)
      summary.data_entries += entry.has_data ? 1 : 0;
    consumed = head->size;
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
    DumpReader in(data, int_size, offset_size);
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
