#include "archive/dump_walker.hpp"

#include <algorithm>
#include <map>

#include "archive/dump_scanner.hpp"
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

}  // namespace

// Checks each block against the table of contents and fingerprints the COPY
// rows of table data as the scanner reports them.
struct DumpWalker::State final : DumpVisitor {
  DumpSummary summary;
  std::map<std::int64_t, Entry> entries;
  int current_type = 0;
  Entry* current = nullptr;  // the entry whose block is being read
  DumpScanner scanner{*this};

  void head(const DumpHead& head, DumpElement) override {
    summary.version_major = head.version_major;
    summary.version_minor = head.version_minor;
    summary.compressed = head.compressed;
    summary.database = head.database;
    summary.server_version = head.server_version;
    summary.pg_dump_version = head.pg_dump_version;
    for (const TocEntry& toc : head.entries) {
      Entry entry{.has_data = toc.has_data,
                  .table_data = toc.desc == "TABLE DATA",
                  .schema = toc.namespace_name,
                  .name = toc.tag,
                  .label = (toc.desc.empty() ? "?" : toc.desc) + " " + (toc.tag.empty() ? "?" : toc.tag)};
      if (!entries.emplace(toc.id, std::move(entry)).second)
        corrupt(head.size, "duplicate dump id " + std::to_string(toc.id) + " in the table of contents");
    }
    summary.toc_entries = entries.size();
    for (const auto& [id, entry] : entries)
      summary.data_entries += entry.has_data ? 1 : 0;
  }

  void block_type(int type, DumpElement) override { current_type = type; }

  void block_id(std::int64_t id, DumpElement element) override {
    auto entry = entries.find(id);
    if (entry == entries.end()) corrupt(element.at, "data block for unknown dump id " + std::to_string(id));
    if (entry->second.seen) corrupt(element.at, "second data block for " + entry->second.label);
    entry->second.seen = true;
    current = &entry->second;
    ++summary.data_blocks;
  }

  void blob_oid(std::int64_t, DumpElement) override {}

  void chunk_length(std::int64_t length, DumpElement) override {
    if (length == 0 && current_type == kBlockData && current != nullptr) current->fingerprint.finish();
  }

  // Chunk payload: fingerprinted for table data of an uncompressed archive.
  void payload(std::string_view data, std::uint64_t) override {
    summary.data_bytes += data.size();
    if (current != nullptr && current->table_data && !summary.compressed) current->fingerprint.add(data);
  }
};

DumpWalker::DumpWalker() : state_(std::make_unique<State>()) {}
DumpWalker::~DumpWalker() = default;

void DumpWalker::write(std::string_view data) { state_->scanner.write(data); }

void DumpWalker::finish() {
  State& s = *state_;
  if (s.scanner.in_head())
    throw Error(ErrorKind::Failure,
                "the archive is truncated: it ends inside its header or table of contents");
  if (!s.scanner.between_blocks())
    throw Error(ErrorKind::Failure, "the archive is truncated: it ends inside a data block at byte " +
                                        std::to_string(s.scanner.position()));
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
