#pragma once
// Byte offsets to 1-based lines and columns (private to psl). Columns count
// code points, so a diagnostic after "é" points where an editor shows it.
//
// The parser asks for a position at nearly every token, mostly moving
// forward, so position() is amortised O(1): it remembers the last line it
// found and starts there, and it counts code points only on lines that hold
// a non-ASCII byte. Not thread-safe (the cache); one map per parser.

#include <cstdint>
#include <string_view>
#include <vector>

#include "psl/ast.hpp"

namespace soulstone::psl::detail {

class SourceMap {
 public:
  SourceMap(std::string_view text, std::uint32_t file);

  [[nodiscard]] Position position(std::uint32_t offset) const {
    // Inline for the common case: an ASCII line, the one asked last.
    std::size_t line = last_line_;
    if (line_starts_[line] <= offset && offset < line_starts_[line + 1] && ascii_[line]) {
      return Position{offset, static_cast<std::uint32_t>(line + 1), offset - line_starts_[line] + 1};
    }
    return position_elsewhere(offset);
  }
  [[nodiscard]] Span span(std::uint32_t begin, std::uint32_t end) const {
    return Span{file_, position(begin), position(end)};
  }

 private:
  [[nodiscard]] Position position_elsewhere(std::uint32_t offset) const;
  // The 0-based line holding `offset` (offset <= text size).
  [[nodiscard]] std::size_t line_of(std::uint32_t offset) const;

  std::string_view text_;
  std::uint32_t file_;
  std::vector<std::uint32_t> line_starts_;  // plus a sentinel: text size + 1
  std::vector<bool> ascii_;                 // per line: no byte >= 0x80
  mutable std::size_t last_line_ = 0;
};

}  // namespace soulstone::psl::detail
