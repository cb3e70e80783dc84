#include "archive/dump_format.hpp"

#include "base/error.hpp"

namespace soulstone::archive {

void corrupt(std::uint64_t offset, const std::string& what) {
  throw Error(ErrorKind::Failure, "the archive is corrupt at byte " + std::to_string(offset) + ": " + what);
}

std::optional<int> DumpReader::byte() {
  if (pos_ + 1 > data_.size()) return std::nullopt;
  return static_cast<unsigned char>(data_[pos_++]);
}

std::optional<std::int64_t> DumpReader::integer() {
  if (pos_ + 1 + int_size_ > data_.size()) return std::nullopt;
  bool negative = data_[pos_] != 0;
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < int_size_; ++i)
    value |= std::uint64_t(static_cast<unsigned char>(data_[pos_ + 1 + i])) << (8 * i);
  pos_ += 1 + int_size_;
  return negative ? -static_cast<std::int64_t>(value) : static_cast<std::int64_t>(value);
}

std::optional<std::optional<std::string>> DumpReader::string() {
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

std::optional<int> DumpReader::offset() {
  if (pos_ + 1 + offset_size_ > data_.size()) return std::nullopt;
  int flag = static_cast<unsigned char>(data_[pos_]);
  pos_ += 1 + offset_size_;
  return flag;
}

void append_dump_integer(std::string& out, std::int64_t value, int int_size) {
  out.push_back(value < 0 ? '\1' : '\0');
  auto magnitude = value < 0 ? static_cast<std::uint64_t>(-value) : static_cast<std::uint64_t>(value);
  for (int i = 0; i < int_size; ++i)
    out.push_back(static_cast<char>((magnitude >> (8 * i)) & 0xff));
}

std::optional<DumpHead> parse_dump_head(std::string_view data) {
  DumpHead head;
  if (data.size() < 8) return std::nullopt;
  if (data.substr(0, 5) != "PGDMP") corrupt(0, "not a pg_dump custom-format archive (no PGDMP magic)");
  head.version_major = static_cast<unsigned char>(data[5]);
  head.version_minor = static_cast<unsigned char>(data[6]);
  if (head.version_major != 1 || head.version_minor < 12 || head.version_minor > 15)
    corrupt(5, "archive version " + std::to_string(head.version_major) + "." +
                   std::to_string(head.version_minor) + " is not supported (1.12 to 1.15 are)");
  if (data.size() < 11) return std::nullopt;
  head.int_size = static_cast<unsigned char>(data[8]);
  head.offset_size = static_cast<unsigned char>(data[9]);
  if (head.int_size < 1 || head.int_size > 8 || head.offset_size < 1 || head.offset_size > 8)
    corrupt(8, "impossible integer sizes");
  if (data[10] != 1) corrupt(10, "not the custom format (format byte " + std::to_string(int(data[10])) + ")");

  DumpReader in(data.substr(11), head.int_size, head.offset_size);
  // Compression: a byte naming the algorithm from 1.15, a level before.
  if (head.version_minor >= 15) {
    auto algorithm = in.byte();
    if (!algorithm) return std::nullopt;
    head.compressed = *algorithm != 0;
  } else {
    auto level = in.integer();
    if (!level) return std::nullopt;
    head.compressed = *level != 0;
  }
  for (int i = 0; i < 7; ++i)  // creation time: sec, min, hour, mday, mon, year, isdst
    if (!in.integer()) return std::nullopt;
  auto database = in.string();
  auto server = database ? in.string() : std::nullopt;
  auto dumper = server ? in.string() : std::nullopt;
  if (!dumper) return std::nullopt;
  head.database = database->value_or("");
  head.server_version = server->value_or("");
  head.pg_dump_version = dumper->value_or("");

  auto count = in.integer();
  if (!count) return std::nullopt;
  if (*count < 0) corrupt(11 + in.position(), "negative table-of-contents size");
  for (std::int64_t i = 0; i < *count; ++i) {
    auto id = in.integer();
    auto had_dumper = id ? in.integer() : std::nullopt;
    if (!had_dumper) return std::nullopt;
    // tableoid, oid, tag, desc; section; defn, drop, copy, namespace,
    // tablespace, [tableam from 1.14], owner, withOids
    std::optional<std::string> before[4];
    for (auto& field : before) {
      auto value = in.string();
      if (!value) return std::nullopt;
      field = *value;
    }
    if (!in.integer()) return std::nullopt;  // section
    const int strings_after_section = head.version_minor >= 14 ? 8 : 7;
    std::optional<std::string> after[8];
    for (int f = 0; f < strings_after_section; ++f) {
      auto value = in.string();
      if (!value) return std::nullopt;
      after[f] = *value;
    }
    for (;;) {  // dependencies, ended by a NULL string
      auto dependency = in.string();
      if (!dependency) return std::nullopt;
      if (!*dependency) break;
    }
    auto flag = in.offset();
    if (!flag) return std::nullopt;
    head.entries.push_back({.id = *id,
                            .has_data = *had_dumper != 0,
                            .tag = before[2].value_or(""),
                            .desc = before[3].value_or(""),
                            .namespace_name = after[3].value_or(""),
                            .copy_statement = after[2].value_or(""),
                            .offset_flag = *flag});
  }
  head.size = 11 + in.position();
  return head;
}

}  // namespace soulstone::archive
