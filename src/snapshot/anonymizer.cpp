#include "snapshot/anonymizer.hpp"

#include <algorithm>
#include <map>

#include "archive/dump_scanner.hpp"
#include "base/error.hpp"
#include "snapshot/copy_text.hpp"

namespace soulstone::snapshot {

namespace {

constexpr std::size_t kChunkSize = 64 * 1024;

// One table's data block to rewrite: which COPY fields are marked.
struct Rewrite {
  std::string table;
  std::vector<const PiiColumn*> by_field;  // one per COPY column; null when not marked
};

}  // namespace

// Passes the archive through, except the rows of marked tables' data blocks,
// which it decodes, fakes and frames again.
struct AnonymizingSink::State final : archive::DumpVisitor {
  archive::ByteSink& next;
  const PiiPlan& plan;
  Faker& faker;
  AnonymizeStats stats;
  archive::DumpScanner scanner{*this};

  int int_size = 4;
  int block_type_now = 0;
  std::map<std::int64_t, Rewrite> rewrites;
  const Rewrite* current = nullptr;  // the block being rewritten, if any
  bool ended = false;                // its end-of-data marker has passed
  std::uint64_t at = 0;              // where the payload being rewritten starts

  std::string out;    // output waiting for next.write()
  std::string row;    // a row split across chunks
  std::string chunk;  // rewritten rows waiting to be framed
  std::vector<std::string_view> fields;

  State(archive::ByteSink& n, const PiiPlan& p, Faker& f) : next(n), plan(p), faker(f) {}

  void head(const archive::DumpHead& head, archive::DumpElement element) override {
    if (head.compressed)
      throw Error(ErrorKind::Failure, "cannot anonymise an archive whose data pg_dump compressed itself");
    int_size = head.int_size;
    for (const archive::TocEntry& entry : head.entries) {
      if (entry.has_data && entry.offset_flag != archive::kOffsetNotSet &&
          entry.offset_flag != archive::kOffsetNoData)
        throw Error(
            ErrorKind::Failure,
            "cannot anonymise an archive with data offsets (only a streamed pg_dump can be rewritten)");
      if (entry.desc != "TABLE DATA") continue;
      std::vector<const PiiColumn*> marked = plan.of_table(entry.tag);
      if (marked.empty()) continue;
      auto columns = copy_statement_columns(entry.copy_statement);
      if (!columns) archive::corrupt(element.at, "cannot read the COPY statement of TABLE DATA " + entry.tag);
      Rewrite rewrite{.table = entry.tag, .by_field = std::vector<const PiiColumn*>(columns->size())};
      bool any = false;
      for (std::size_t i = 0; i < columns->size(); ++i)
        for (const PiiColumn* column : marked)
          if (column->column == (*columns)[i]) rewrite.by_field[i] = column, any = true;
      if (any) rewrites.emplace(entry.id, std::move(rewrite));
    }
    out.append(element.raw);
  }

  void block_type(int type, archive::DumpElement element) override {
    block_type_now = type;
    out.append(element.raw);
  }

  void block_id(std::int64_t id, archive::DumpElement element) override {
    auto found = rewrites.find(id);
    current = block_type_now == archive::kBlockData && found != rewrites.end() ? &found->second : nullptr;
    if (current != nullptr) ++stats.tables;
    ended = false;
    out.append(element.raw);
  }

  void blob_oid(std::int64_t, archive::DumpElement element) override { out.append(element.raw); }

  void chunk_length(std::int64_t length, archive::DumpElement element) override {
    if (current == nullptr) {
      out.append(element.raw);
      return;
    }
    // A rewritten block gets chunk lengths of its own.
    if (length == 0) {
      if (!row.empty()) archive::corrupt(element.at, "the data of " + current->table + " ends inside a row");
      flush_chunk();
      archive::append_dump_integer(out, 0, int_size);
      current = nullptr;
    }
  }

  void payload(std::string_view data, std::uint64_t piece_at) override {
    if (current == nullptr) {
      out.append(data);
      return;
    }
    at = piece_at;
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
      archive::corrupt(at, "a row of " + current->table + " has " + std::to_string(fields.size()) +
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
};

AnonymizingSink::AnonymizingSink(archive::ByteSink& next, const PiiPlan& plan, Faker& faker)
    : state_(std::make_unique<State>(next, plan, faker)) {}
AnonymizingSink::~AnonymizingSink() = default;

void AnonymizingSink::write(std::string_view data) {
  State& s = *state_;
  s.scanner.write(data);
  if (!s.out.empty()) {
    s.next.write(s.out);
    s.out.clear();
  }
}

void AnonymizingSink::finish() {
  State& s = *state_;
  if (!s.scanner.between_blocks())
    throw Error(ErrorKind::Failure, "the archive is truncated: it ends at byte " +
                                        std::to_string(s.scanner.position()) + " inside its " +
                                        (s.scanner.in_head() ? "header" : "data"));
  s.next.finish();
}

const AnonymizeStats& AnonymizingSink::stats() const noexcept { return state_->stats; }

}  // namespace soulstone::snapshot
