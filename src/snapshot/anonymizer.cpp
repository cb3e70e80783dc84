#include "snapshot/anonymizer.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "archive/dump_format.hpp"
#include "base/error.hpp"
#include "snapshot/copy_text.hpp"

namespace soulstone::snapshot {

namespace {

constexpr std::size_t kChunkSize = 64 * 1024;

enum class Phase { Head, BlockType, BlockId, BlobOid, ChunkLength, Payload };

// One table's data block to rewrite: which COPY fields are marked.
struct Rewrite {
  std::string table;
  std::vector<const PiiColumn*> by_field;  // one per COPY column; null when not marked
};

}  // namespace

struct AnonymizingSink::State {
  archive::ByteSink& next;
  const PiiPlan& plan;
  Faker& faker;
  AnonymizeStats stats;

  std::string buffer;        // unread input
  std::size_t consumed = 0;  // of buffer
  std::uint64_t offset = 0;  // of buffer's first byte in the input
  Phase phase = Phase::Head;
  int int_size = 4;
  int offset_size = 8;
  int block_type = 0;
  std::int64_t remaining = 0;  // payload bytes left in the current chunk
  std::map<std::int64_t, Rewrite> rewrites;
  const Rewrite* current = nullptr;  // the block being rewritten, if any
  bool ended = false;                // its end-of-data marker has passed

  std::string out;    // output waiting for next.write()
  std::string row;    // a row split across chunks
  std::string chunk;  // rewritten rows waiting to be framed
  std::vector<std::string_view> fields;

  State(archive::ByteSink& n, const PiiPlan& p, Faker& f) : next(n), plan(p), faker(f) {}

  [[nodiscard]] std::uint64_t here() const { return offset + consumed; }

  bool parse_head() {
    std::optional<archive::DumpHead> head = archive::parse_dump_head(buffer);
    if (!head) return false;
    if (head->compressed)
      throw Error(ErrorKind::Failure, "cannot anonymise an archive whose data pg_dump compressed itself");
    int_size = head->int_size;
    offset_size = head->offset_size;
    for (const archive::TocEntry& entry : head->entries) {
      if (entry.has_data && entry.offset_flag != archive::kOffsetNotSet &&
          entry.offset_flag != archive::kOffsetNoData)
        throw Error(
            ErrorKind::Failure,
            "cannot anonymise an archive with data offsets (only a streamed pg_dump can be rewritten)");
      if (entry.desc != "TABLE DATA") continue;
      std::vector<const PiiColumn*> marked = plan.of_table(entry.tag);
      if (marked.empty()) continue;
      auto columns = archive_columns(entry);
      Rewrite rewrite{.table = entry.tag, .by_field = std::vector<const PiiColumn*>(columns.size())};
      bool any = false;
      for (std::size_t i = 0; i < columns.size(); ++i)
        for (const PiiColumn* column : marked)
          if (column->column == columns[i]) rewrite.by_field[i] = column, any = true;
      if (any) rewrites.emplace(entry.id, std::move(rewrite));
    }
    out.append(buffer, 0, head->size);
    consumed = head->size;
    phase = Phase::BlockType;
    return true;
  }

  std::vector<std::string> archive_columns(const archive::TocEntry& entry) const {
    auto columns = copy_statement_columns(entry.copy_statement);
    if (!columns) archive::corrupt(here(), "cannot read the COPY statement of TABLE DATA " + entry.tag);
    return *columns;
  }

  void payload(std::string_view data) {
    if (current == nullptr) {
      out.append(data);
      return;
    }
    for (;;) {
      if (ended) {  // pg_dump ends the data with "\.\n\n\n": kept as it is
        chunk.append(data);
        return;
      }
      std::size_t end = data.find('\n');
      if (end == std::string_view::npos) {
        row.append(data);
        return;
      }
      row.append(data.substr(0, end));
      data.remove_prefix(end + 1);
      rewrite_row();
      row.clear();
    }
  }

  void rewrite_row() {
    if (row == "\\.") {  // the end-of-data marker: not a row
      chunk += "\\.\n";
      ended = true;
      return;
    }
    split_copy_row(row, fields);
    if (fields.size() != current->by_field.size())
      archive::corrupt(here(), "a row of " + current->table + " has " + std::to_string(fields.size()) +
                                   " fields where its COPY statement names " +
                                   std::to_string(current->by_field.size()));
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i != 0) chunk.push_back('\t');
      const PiiColumn* column = current->by_field[i];
      if (column == nullptr || is_copy_null(fields[i])) {
        chunk.append(fields[i]);
        continue;
      }
      std::string value = decode_copy_field(fields[i]);
      stats.values += value.empty() ? 0 : 1;
      append_copy_field(chunk, faker.fake(column->spec, value, column->table + "." + column->column));
    }
    chunk.push_back('\n');
    ++stats.rows;
    if (chunk.size() >= kChunkSize) flush_chunk();
  }

  void flush_chunk() {
    if (chunk.empty()) return;
    archive::append_dump_integer(out, static_cast<std::int64_t>(chunk.size()), int_size);
    out += chunk;
    chunk.clear();
  }

  // Advances through blocks and chunks; returns false when more bytes are needed.
  bool step() {
    std::string_view data = std::string_view(buffer).substr(consumed);
    if (phase == Phase::Payload) {
      std::size_t take =
          static_cast<std::size_t>(std::min<std::int64_t>(remaining, std::int64_t(data.size())));
      payload(data.substr(0, take));
      consumed += take;
      remaining -= static_cast<std::int64_t>(take);
      if (remaining > 0) return false;
      phase = Phase::ChunkLength;
      return true;
    }
    archive::DumpReader in(data, int_size, offset_size);
    bool pass = true;  // copy the bytes read to the output
    switch (phase) {
      case Phase::BlockType: {
        auto type = in.byte();
        if (!type) return false;
        if (*type != archive::kBlockData && *type != archive::kBlockBlobs)
          archive::corrupt(here(), "unknown block type " + std::to_string(*type));
        block_type = *type;
        phase = Phase::BlockId;
        break;
      }
      case Phase::BlockId: {
        auto id = in.integer();
        if (!id) return false;
        auto found = rewrites.find(*id);
        current = block_type == archive::kBlockData && found != rewrites.end() ? &found->second : nullptr;
        if (current != nullptr) ++stats.tables;
        ended = false;
        phase = block_type == archive::kBlockData ? Phase::ChunkLength : Phase::BlobOid;
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
        if (*length < 0) archive::corrupt(here(), "negative chunk length");
        pass = current == nullptr;  // a rewritten block gets chunk lengths of its own
        if (*length > 0) {
          remaining = *length;
          phase = Phase::Payload;
        } else if (block_type == archive::kBlockData) {
          if (current != nullptr) end_block();
          current = nullptr;
          phase = Phase::BlockType;
        } else {
          phase = Phase::BlobOid;
        }
        break;
      }
      default:
        return false;
    }
    if (pass) out.append(data.substr(0, in.position()));
    consumed += in.position();
    return true;
  }

  void end_block() {
    if (!row.empty()) archive::corrupt(here(), "the data of " + current->table + " ends inside a row");
    flush_chunk();
    archive::append_dump_integer(out, 0, int_size);
  }
};

AnonymizingSink::AnonymizingSink(archive::ByteSink& next, const PiiPlan& plan, Faker& faker)
    : state_(std::make_unique<State>(next, plan, faker)) {}
AnonymizingSink::~AnonymizingSink() = default;

void AnonymizingSink::write(std::string_view data) {
  State& s = *state_;
  // In the middle of a large chunk, work straight from the caller's bytes.
  if (s.phase == Phase::Payload && s.consumed == s.buffer.size()) {
    std::size_t take =
        static_cast<std::size_t>(std::min<std::int64_t>(s.remaining, std::int64_t(data.size())));
    s.payload(data.substr(0, take));
    s.remaining -= static_cast<std::int64_t>(take);
    s.offset += take;
    data.remove_prefix(take);
    if (s.remaining == 0) s.phase = Phase::ChunkLength;
  }
  s.buffer.append(data);
  if (s.phase != Phase::Head || s.parse_head()) {
    while (s.step()) {
    }
  }
  s.offset += s.consumed;
  s.buffer.erase(0, s.consumed);
  s.consumed = 0;
  if (!s.out.empty()) {
    s.next.write(s.out);
    s.out.clear();
  }
}

void AnonymizingSink::finish() {
  State& s = *state_;
  if (s.phase != Phase::BlockType || !s.buffer.empty())
    throw Error(ErrorKind::Failure, "the archive is truncated: it ends at byte " + std::to_string(s.here()) +
                                        " inside its " + (s.phase == Phase::Head ? "header" : "data"));
  s.next.finish();
}

const AnonymizeStats& AnonymizingSink::stats() const noexcept { return state_->stats; }

}  // namespace soulstone::snapshot
