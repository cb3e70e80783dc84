#pragma once
// Keyed hashing and bijections: the only sources of "randomness" in seeding.
//
// Every generated value is a pure function of (seed, table, column, row):
// a column's key is derived once from the seed and the two names, and each
// draw hashes (key, row, draw). Nothing depends on a shared random stream,
// so adding a column or a table never changes another column's values.
//
// Permutation gives uniqueness by construction: a keyed bijection of
// [0, n) (a balanced Feistel network on the next even power of two, with
// cycle-walking), so distinct rows map to distinct values.
//
// Stability contract: the outputs of these functions are part of the seed's
// observable behaviour (the same seed gives the same data on every machine
// and every release); change them only on purpose.

#include <cstdint>
#include <string_view>

namespace soulstone::seed {

// 128-bit integers (a GCC/Clang extension) for exact products.
__extension__ typedef unsigned __int128 uint128;
__extension__ typedef __int128 int128;

// splitmix64's finaliser: a fast, well-mixing bijection of 64-bit words.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// A 64-bit key from a parent key and a name (FNV-1a over the bytes, then
// mixed with the parent key), e.g. key(key(seed, "users"), "email").
[[nodiscard]] std::uint64_t key(std::uint64_t parent, std::string_view name) noexcept;

// The draw-th 64-bit word for one row under a key.
[[nodiscard]] constexpr std::uint64_t draw(std::uint64_t key, std::uint64_t row,
                                           std::uint64_t draw = 0) noexcept {
  return mix64(key ^ mix64(row * 0x9e3779b97f4a7c15ULL + draw * 0xd6e8feb86659fd93ULL + 1));
}

// Uniform integer in [0, n) from a 64-bit word (n > 0); the bias is below
// n / 2^64, far under anything observable.
[[nodiscard]] constexpr std::uint64_t below(std::uint64_t word, std::uint64_t n) noexcept {
  return static_cast<std::uint64_t>((static_cast<uint128>(word) * n) >> 64);
}

// A uniform double in [0, 1) from a 64-bit word.
[[nodiscard]] constexpr double unit(std::uint64_t word) noexcept {
  return static_cast<double>(word >> 11) * 0x1.0p-53;
}

// A keyed bijection of [0, n). n may be anything up to 2^62.
class Permutation {
 public:
  Permutation() = default;
  Permutation(std::uint64_t key, std::uint64_t n) noexcept;

  // REQUIRES: x < size().
  [[nodiscard]] std::uint64_t operator()(std::uint64_t x) const noexcept;
  [[nodiscard]] std::uint64_t size() const noexcept { return n_; }

 private:
  [[nodiscard]] std::uint64_t round_trip(std::uint64_t x) const noexcept;
  std::uint64_t round_keys_[4] = {};
  std::uint64_t n_ = 0;
  unsigned half_bits_ = 1;  // each Feistel half has this many bits
};

}  // namespace soulstone::seed
