#include "seed/hash.hpp"

namespace soulstone::seed {

std::uint64_t key(std::uint64_t parent, std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h ^ mix64(parent + 0x632be59bd9b4e019ULL));
}

Permutation::Permutation(std::uint64_t key, std::uint64_t n) noexcept : n_(n) {
  for (std::uint64_t round = 0; round < 4; ++round)
    round_keys_[round] = mix64(key + round * 0x9e3779b97f4a7c15ULL);
  // The smallest even bit width 2h with 2^(2h) >= n, so cycle-walking needs
  // fewer than four rounds trips on average.
  while (half_bits_ < 31 && (std::uint64_t{1} << (2 * half_bits_)) < n)
    ++half_bits_;
}

std::uint64_t Permutation::round_trip(std::uint64_t x) const noexcept {
  const std::uint64_t mask = (std::uint64_t{1} << half_bits_) - 1;
  std::uint64_t left = x >> half_bits_;
  std::uint64_t right = x & mask;
  for (std::uint64_t round = 0; round < 4; ++round) {
    std::uint64_t f = mix64(right ^ round_keys_[round]) & mask;
    std::uint64_t next = left ^ f;
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t Permutation::operator()(std::uint64_t x) const noexcept {
  if (n_ <= 1) return 0;
  // Cycle-walking: a bijection of [0, 2^(2h)) restricted to [0, n) by
  // applying it again until the value falls inside; still a bijection.
  std::uint64_t y = round_trip(x);
  while (y >= n_)
    y = round_trip(y);
  return y;
}

}  // namespace soulstone::seed
