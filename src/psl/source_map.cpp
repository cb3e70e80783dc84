#include "psl/source_map.hpp"

#include <algorithm>
#include <cstring>

namespace soulstone::psl::detail {

SourceMap::SourceMap(std::string_view text, std::uint32_t file) : text_(text), file_(file) {
  line_starts_.reserve(text.size() / 32 + 2);
  line_starts_.push_back(0);
  // Most schemas are ASCII with \n line ends: one branch-free pass tells,
  // and then memchr finds the lines.
  unsigned char any = 0;
  for (char c : text)
    any |= static_cast<unsigned char>(static_cast<unsigned char>(c) >= 0x80 || c == '\r');
  if (any == 0) {
    for (const char* at = text.data();
         (at = static_cast<const char*>(
              std::memchr(at, '\n', static_cast<std::size_t>(text.data() + text.size() - at))));) {
      ++at;
      line_starts_.push_back(static_cast<std::uint32_t>(at - text.data()));
    }
    ascii_.assign(line_starts_.size(), true);
  } else {
    ascii_.reserve(text.size() / 32 + 1);
    bool ascii = true;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
        ascii_.push_back(ascii);
        ascii = true;
      } else if ((static_cast<unsigned char>(c) & 0x80) != 0) {
        ascii = false;
      }
    }
    ascii_.push_back(ascii);
  }
  // The sentinel lets line_of test "offset < next line's start" on the last
  // line too: offsets go up to text.size() inclusive.
  line_starts_.push_back(static_cast<std::uint32_t>(text.size() + 1));
}

std::size_t SourceMap::line_of(std::uint32_t offset) const {
  std::size_t line = last_line_;
  if (line_starts_[line] <= offset) {
    // Forward from the last line: the parser's next token is usually on the
    // same line or the next few.
    for (int step = 0; step < 4; ++step, ++line) {
      if (offset < line_starts_[line + 1]) return last_line_ = line;
    }
  }
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end() - 1, offset);
  return last_line_ = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
}

Position SourceMap::position_elsewhere(std::uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<std::uint32_t>(text_.size());
  std::size_t line = line_of(offset);
  std::uint32_t start = line_starts_[line];
  std::uint32_t column = offset - start + 1;
  if (!ascii_[line]) {
    column = 1;
    for (std::uint32_t i = start; i < offset; ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
  }
  return Position{offset, static_cast<std::uint32_t>(line + 1), column};
}

}  // namespace soulstone::psl::detail
