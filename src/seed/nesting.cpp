#include <algorithm>

#include "seed/plan.hpp"

namespace soulstone::seed {

Nesting::Nesting(std::size_t fk, std::uint64_t key, std::uint64_t min, std::uint64_t max,
                 std::uint64_t parents)
    : fk_(fk), key_(key), min_(min), max_(max), parents_(parents) {
  // One pass over the parents: the total, and a checkpoint every kStride
  // parents so that start() and locate() cost at most kStride draws.
  checkpoints_.reserve(parents / kStride + 1);
  for (std::uint64_t p = 0; p < parents; ++p) {
    if (p % kStride == 0) checkpoints_.push_back(rows_);
    rows_ += count(p);
  }
}

std::uint64_t Nesting::count(std::uint64_t parent) const noexcept {
  if (max_ == min_) return min_;
  return min_ + below(draw(key_, parent), max_ - min_ + 1);
}

std::uint64_t Nesting::start(std::uint64_t parent) const noexcept {
  if (parent >= parents_) return rows_;
  std::uint64_t q = parent / kStride;
  std::uint64_t row = checkpoints_[q];
  for (std::uint64_t p = q * kStride; p < parent; ++p)
    row += count(p);
  return row;
}

void Nesting::locate(std::uint64_t row, std::uint64_t& parent, std::uint64_t& ordinal) const noexcept {
  // The last checkpoint at or before the row, then parent by parent. Runs
  // of childless parents share a checkpoint value; upper_bound skips them.
  auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), row);
  std::uint64_t q =
      it == checkpoints_.begin() ? 0 : static_cast<std::uint64_t>(it - checkpoints_.begin()) - 1;
  std::uint64_t start = checkpoints_.empty() ? 0 : checkpoints_[q];
  for (std::uint64_t p = q * kStride; p < parents_; ++p) {
    std::uint64_t k = count(p);
    if (row < start + k) {
      parent = p;
      ordinal = row - start;
      return;
    }
    start += k;
  }
  parent = parents_ == 0 ? 0 : parents_ - 1;
  ordinal = 0;
}

}  // namespace soulstone::seed
