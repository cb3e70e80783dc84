#include "client_runtime/ids.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace soulstone::client {

namespace {

std::uint64_t random64() {
  static std::mutex mutex;
  static std::random_device device;
  std::lock_guard lock(mutex);
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

std::uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::string base36(std::uint64_t value, std::size_t width) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out(width, '0');
  for (std::size_t i = width; i-- > 0;) {
    out[i] = kDigits[value % 36];
    value /= 36;
  }
  return out;
}

std::string hex_uuid(std::array<std::uint8_t, 16> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

std::array<std::uint8_t, 16> random_bytes16() {
  std::array<std::uint8_t, 16> bytes{};
  std::uint64_t a = random64(), b = random64();
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<std::uint8_t>(a >> (8 * i));
    bytes[8 + i] = static_cast<std::uint8_t>(b >> (8 * i));
  }
  return bytes;
}

}  // namespace

std::string uuid_v4() {
  auto bytes = random_bytes16();
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
  return hex_uuid(bytes);
}

std::string uuid_v7() {
  auto bytes = random_bytes16();
  std::uint64_t ms = now_ms();
  for (std::size_t i = 0; i < 6; ++i)
    bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x70);
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
  return hex_uuid(bytes);
}

std::string cuid() {
  static std::atomic<std::uint64_t> counter{random64() % (36ULL * 36 * 36 * 36)};
  static const std::uint64_t fingerprint = random64();
  std::uint64_t count = counter.fetch_add(1) % (36ULL * 36 * 36 * 36);
  return "c" + base36(now_ms(), 8) + base36(count, 4) + base36(fingerprint, 4) + base36(random64(), 8);
}

std::string cuid2() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
  std::string out(1, kLetters[random64() % 26]);
  out += base36(random64(), 12).substr(1);
  out += base36(random64(), 12);
  return out;
}

std::string nanoid(std::size_t length) {
  static constexpr char kAlphabet[] = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyz";
  std::string out;
  out.reserve(length);
  std::uint64_t bits = 0;
  int left = 0;
  while (out.size() < length) {
    if (left < 6) {
      bits = random64();
      left = 64;
    }
    out += kAlphabet[bits & 63];
    bits >>= 6;
    left -= 6;
  }
  return out;
}

std::string ulid() {
  static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out(26, '0');
  std::uint64_t ms = now_ms();
  for (int i = 9; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kCrockford[ms & 31];
    ms >>= 5;
  }
  std::uint64_t a = random64(), b = random64();
  for (std::size_t i = 10; i < 26; ++i) {
    std::uint64_t& source = i < 18 ? a : b;
    out[i] = kCrockford[source & 31];
    source >>= 5;
  }
  return out;
}

}  // namespace soulstone::client
