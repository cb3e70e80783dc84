#pragma once
// How a multipart upload of unknown length cuts its stream into parts.
//
// Part sizes start at `min_part_size` and double every tenth of the part-count
// limit, so the first parts stay small (little memory for small objects) and
// the limit still holds any object up to min_part_size * max_parts * 102
// (10,000 parts of 8 MiB: about 8 TiB; 1,000 parts: about 800 GiB), with no
// part above S3's 5 GiB. Pure arithmetic; no I/O.

#include <cstdint>

namespace soulstone::store {

inline constexpr std::uint64_t kMaxPartSize = 5ull << 30;  // S3's limit per part

struct PartPlan {
  std::uint64_t min_part_size = 8ull << 20;
  int max_parts = 10000;

  // Size of part `number` (1-based; every part but the last is exactly this).
  [[nodiscard]] std::uint64_t size_of(int number) const noexcept;
  // Bytes that fit in max_parts parts.
  [[nodiscard]] std::uint64_t capacity() const noexcept;
  // Parts that may be uploading at once while one more fills, so that all
  // part buffers together stay within `budget` (at least one in flight).
  [[nodiscard]] static int in_flight(std::uint64_t part_size, std::uint64_t budget, int parallel) noexcept;
};

}  // namespace soulstone::store
