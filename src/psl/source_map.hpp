#pragma once
// Byte offsets to 1-based lines and columns (private to psl). Columns count
// code points, so a diagnostic after "é" points where an editor shows it.

#include <cstdint>
#include <string_view>
#include <vector>

#include "psl/ast.hpp"

namespace soulstone::psl::detail {

class SourceMap {
 public:
  SourceMap(std::string_view text, std::uint32_t file);

  [[nodiscard]] Position position(std::uint32_t offset) const;
  [[nodiscard]] Span span(std::uint32_t begin, std::uint32_t end) const {
    return Span{file_, position(begin), position(end)};
  }

 private:
  std::string_view text_;
  std::uint32_t file_;
  std::vector<std::uint32_t> line_starts_;
};

}  // namespace soulstone::psl::detail
