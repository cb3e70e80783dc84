#include "migrate/checksum.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "base/error.hpp"

namespace soulstone::migrate {

namespace {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::Failure, "SHA-256 failed (OpenSSL)");
  return digest;
}

// `padded` is the form every current Prisma writes; the unpadded one (each
// byte as {:x}, so 0x0a becomes "a") is what engines before 2.15 stored.
std::string hex(const Digest& digest, bool padded) {
  std::string out;
  out.reserve(64);
  char buffer[3];
  for (unsigned char byte : digest) {
    std::snprintf(buffer, sizeof buffer, padded ? "%02x" : "%x", byte);
    out += buffer;
  }
  return out;
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (std::size_t hit = text.find(from); hit != std::string_view::npos; hit = text.find(from, at)) {
    out.append(text.substr(at, hit - at)).append(to);
    at = hit + from.size();
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace

std::string checksum(std::string_view script) { return hex(sha256(script), true); }

bool checksum_matches(std::string_view script, std::string_view stored) {
  const bool padded = stored.empty() || stored.size() == 64;
  auto matches = [&](std::string_view variant) { return hex(sha256(variant), padded) == stored; };
  // Prisma's order and variants exactly: LF -> CRLF also doubles the CR of an
  // existing CRLF, as Prisma's replace does.
  return matches(script) || matches(replace_all(script, "\r\n", "\n")) ||
         matches(replace_all(script, "\n", "\r\n"));
}

}  // namespace soulstone::migrate
