// The bearer token check.

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>

#include "api/internal.hpp"
#include "api/read_api.hpp"
#include "base/error.hpp"

namespace soulstone::api {

void check_token(const std::string& token) {
  if (token.size() < 16)
    throw Error(ErrorKind::Input, "the read API's token is shorter than 16 characters",
                "use a long random token, e.g. `openssl rand -hex 32`");
  for (unsigned char c : token)
    if (c <= 0x20 || c == 0x7f)
      throw Error(ErrorKind::Input, "the read API's token holds a space or a control character",
                  "use a long random token, e.g. `openssl rand -hex 32`");
}

namespace internal {

Digest sha256(std::string_view text) {
  Digest digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size())
    throw Error(ErrorKind::Failure, "cannot compute SHA-256 (OpenSSL failed)");
  return digest;
}

Auth authorize(std::string_view header, const Digest& expected) {
  if (header.empty()) return Auth::Missing;
  // The scheme is case-insensitive (RFC 9110); one or more spaces follow it.
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return Auth::Malformed;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return Auth::Malformed;
  std::string_view rest = header.substr(kScheme.size());
  if (rest.front() != ' ') return Auth::Malformed;
  while (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == ' ')
    rest.remove_suffix(1);
  if (rest.empty()) return Auth::Malformed;
  Digest given = sha256(rest);
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0 ? Auth::Granted : Auth::Wrong;
}

}  // namespace internal
}  // namespace soulstone::api
