#pragma once
// Digests the S3 protocol needs per request, through OpenSSL's EVP API
// (openssl/*.h stays in digest.cpp).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::store {

using Md5 = std::array<unsigned char, 16>;

[[nodiscard]] Md5 md5(std::string_view data);
[[nodiscard]] std::string sha256_hex(std::string_view data);
[[nodiscard]] std::string to_hex(const unsigned char* bytes, std::size_t size);
[[nodiscard]] std::string to_base64(const unsigned char* bytes, std::size_t size);

// The ETag S3 gives a completed multipart upload: hex MD5 of the parts'
// binary MD5s in order, then "-" and the number of parts.
[[nodiscard]] std::string multipart_etag(const std::vector<Md5>& parts);

}  // namespace soulstone::store
