#include "store/digest.hpp"

#include <openssl/evp.h>

#include <memory>

#include "base/error.hpp"

namespace soulstone::store {

namespace {

template <std::size_t N>
std::array<unsigned char, N> digest(const EVP_MD* type, std::string_view data) {
  std::array<unsigned char, N> out{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, type, nullptr) != 1 || size != N)
    throw Error(ErrorKind::Storage, "OpenSSL could not compute a digest");
  return out;
}

}  // namespace

Md5 md5(std::string_view data) { return digest<16>(EVP_md5(), data); }

std::string sha256_hex(std::string_view data) {
  auto bytes = digest<32>(EVP_sha256(), data);
  return to_hex(bytes.data(), bytes.size());
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

std::string to_base64(const unsigned char* bytes, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string multipart_etag(const std::vector<Md5>& parts) {
  std::string joined;
  for (const Md5& part : parts)
    joined.append(reinterpret_cast<const char*>(part.data()), part.size());
  Md5 whole = md5(joined);
  return to_hex(whole.data(), whole.size()) + "-" + std::to_string(parts.size());
}

}  // namespace soulstone::store
