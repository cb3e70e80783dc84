#include "archive/dump_scanner.hpp"

#include <algorithm>
#include <optional>
#include <string>

namespace soulstone::archive {

namespace {

enum class Phase { Head, BlockType, BlockId, BlobOid, ChunkLength, Payload };

}  // namespace

struct DumpScanner::State {
  DumpVisitor& visitor;
  std::string buffer;        // unread input
  std::size_t consumed = 0;  // of buffer
  std::uint64_t offset = 0;  // of buffer's first byte in the stream
  Phase phase = Phase::Head;
  int int_size = 4;
  int offset_size = 8;
  int block_type = 0;
  std::int64_t remaining = 0;  // payload bytes left in the current chunk

  explicit State(DumpVisitor& v) : visitor(v) {}

  [[nodiscard]] std::uint64_t here() const { return offset + consumed; }

  // Hands on up to `remaining` bytes of `data` as payload; returns how many.
  std::size_t pass_payload(std::string_view data, std::uint64_t at) {
    auto take =
        static_cast<std::size_t>(std::min<std::int64_t>(remaining, static_cast<std::int64_t>(data.size())));
    if (take > 0) visitor.payload(data.substr(0, take), at);
    remaining -= static_cast<std::int64_t>(take);
    if (remaining == 0) phase = Phase::ChunkLength;
    return take;
  }

  bool parse_head() {
    std::optional<DumpHead> head = parse_dump_head(buffer);
    if (!head) return false;
    int_size = head->int_size;
    offset_size = head->offset_size;
    visitor.head(*head, {.at = here(), .raw = std::string_view(buffer).substr(0, head->size)});
    consumed = head->size;
    phase = Phase::BlockType;
    return true;
  }

  // Advances by one element or payload piece; returns false when more bytes are needed.
  bool step() {
    std::string_view data = std::string_view(buffer).substr(consumed);
    if (phase == Phase::Payload) {
      std::size_t taken = pass_payload(data, here());
      consumed += taken;
      return phase != Phase::Payload;
    }
    DumpReader in(data, int_size, offset_size);
    auto element = [&] { return DumpElement{.at = here(), .raw = data.substr(0, in.position())}; };
    switch (phase) {
      case Phase::BlockType: {
        auto type = in.byte();
        if (!type) return false;
        if (*type != kBlockData && *type != kBlockBlobs)
          corrupt(here(), "unknown block type " + std::to_string(*type));
        block_type = *type;
        visitor.block_type(*type, element());
        phase = Phase::BlockId;
        break;
      }
      case Phase::BlockId: {
        auto id = in.integer();
        if (!id) return false;
        visitor.block_id(*id, element());
        phase = block_type == kBlockData ? Phase::ChunkLength : Phase::BlobOid;
        break;
      }
      case Phase::BlobOid: {
        auto oid = in.integer();
        if (!oid) return false;
        visitor.blob_oid(*oid, element());
        phase = *oid == 0 ? Phase::BlockType : Phase::ChunkLength;
        break;
      }
      case Phase::ChunkLength: {
        auto length = in.integer();
        if (!length) return false;
        if (*length < 0) corrupt(here(), "negative chunk length");
        visitor.chunk_length(*length, element());
        if (*length > 0) {
          remaining = *length;
          phase = Phase::Payload;
        } else {
          phase = block_type == kBlockData ? Phase::BlockType : Phase::BlobOid;
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

DumpScanner::DumpScanner(DumpVisitor& visitor) : state_(std::make_unique<State>(visitor)) {}
DumpScanner::~DumpScanner() = default;

void DumpScanner::write(std::string_view data) {
  State& s = *state_;
  // In the middle of a large chunk, work straight from the caller's bytes.
  if (s.phase == Phase::Payload && s.consumed == s.buffer.size()) {
    std::size_t taken = s.pass_payload(data, s.here());
    s.offset += taken;
    data.remove_prefix(taken);
  }
  s.buffer.append(data);
  if (s.phase != Phase::Head || s.parse_head()) {
    while (s.step()) {
    }
  }
  // Keep only the unread tail, so memory stays bounded by one write.
  s.offset += s.consumed;
  s.buffer.erase(0, s.consumed);
  s.consumed = 0;
}

bool DumpScanner::in_head() const noexcept { return state_->phase == Phase::Head; }

bool DumpScanner::between_blocks() const noexcept {
  return state_->phase == Phase::BlockType && state_->buffer.empty();
}

std::uint64_t DumpScanner::position() const noexcept { return state_->here(); }

}  // namespace soulstone::archive
