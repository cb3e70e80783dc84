#include "store/part_plan.hpp"

#include <algorithm>

namespace soulstone::store {

std::uint64_t PartPlan::size_of(int number) const noexcept {
  int tier_length = std::max(1, max_parts / 10);
  int tier = std::min((std::max(number, 1) - 1) / tier_length, 30);
  return std::min(min_part_size << tier, std::max(min_part_size, kMaxPartSize));
}

std::uint64_t PartPlan::capacity() const noexcept {
  std::uint64_t total = 0;
  int tier_length = std::max(1, max_parts / 10);
  // Sum tier by tier: cheap even for 10,000 parts.
  for (int first = 1; first <= max_parts; first += tier_length) {
    int count = std::min(tier_length, max_parts - first + 1);
    total += size_of(first) * static_cast<std::uint64_t>(count);
  }
  return total;
}

int PartPlan::in_flight(std::uint64_t part_size, std::uint64_t budget, int parallel) noexcept {
  std::uint64_t buffers = part_size == 0 ? 1 : budget / part_size;  // including the one filling
  std::uint64_t uploading = buffers > 1 ? buffers - 1 : 1;
  return static_cast<int>(
      std::clamp<std::uint64_t>(uploading, 1, static_cast<std::uint64_t>(std::max(parallel, 1))));
}

}  // namespace soulstone::store
