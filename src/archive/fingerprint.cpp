#include "archive/fingerprint.hpp"

#include <cstdio>
#include <cstring>

namespace soulstone::archive {

namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;

inline std::uint64_t rotate_left(std::uint64_t value, int bits) {
  return (value << bits) | (value >> (64 - bits));
}

// murmur3's 64-bit finaliser: every input bit affects every output bit.
inline std::uint64_t avalanche(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::uint64_t row_hash(std::string_view row) noexcept {
  std::uint64_t h = kPrime2 ^ (row.size() * kPrime1);
  std::size_t i = 0;
  for (; i + 8 <= row.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, row.data() + i, 8);  // little-endian on every target we build for
    h = rotate_left(h ^ (word * kPrime1), 31) * kPrime2;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, row.data() + i, row.size() - i);
  h = rotate_left(h ^ (tail * kPrime1), 27) * kPrime2;
  return avalanche(h);
}

void TableFingerprint::add_row(std::string_view row) {
  if (ended_) return;
  if (row == "\\.") {
    ended_ = true;
    return;
  }
  sum_ += row_hash(row);
  ++rows_;
}

void TableFingerprint::add(std::string_view data) {
  while (!data.empty()) {
    std::size_t newline = data.find('\n');
    if (newline == std::string_view::npos) {
      partial_.append(data);
      return;
    }
    if (partial_.empty()) {
      add_row(data.substr(0, newline));
    } else {
      partial_.append(data.substr(0, newline));
      add_row(partial_);
      partial_.clear();
    }
    data.remove_prefix(newline + 1);
  }
}

void TableFingerprint::finish() {
  if (!partial_.empty()) add_row(partial_);  // COPY always ends rows with '\n'; be lenient
  partial_.clear();
}

std::string TableFingerprint::hex() const {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(sum_));
  return out;
}

}  // namespace soulstone::archive
