#pragma once
// Private to src/api: request checking (auth, parameters) and the error that
// carries a status to the client.

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soulstone::api::internal {

// Thrown by the endpoints for an answer other than 200; `what()` is the
// message the client sees, so it never holds anything from the database.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  [[nodiscard]] int status() const noexcept { return status_; }

 private:
  int status_;
};

// ---------------------------------------------------------------- auth

using Digest = std::array<unsigned char, 32>;
[[nodiscard]] Digest sha256(std::string_view text);

enum class Auth { Missing, Malformed, Wrong, Granted };
// Checks "Bearer <token>" against the SHA-256 of the expected token. Both
// sides are hashed and the digests compared with CRYPTO_memcmp, so the time
// taken says nothing about the token, not even its length.
[[nodiscard]] Auth authorize(std::string_view header, const Digest& expected);

// ---------------------------------------------------------------- parameters

[[nodiscard]] bool valid_utf8(std::string_view text) noexcept;
// 8-4-4-4-12 hexadecimal digits, PostgreSQL's canonical text of a uuid.
[[nodiscard]] bool is_uuid(std::string_view text) noexcept;

// The query parameters of one request, checked: only `allowed` names, each
// at most once, values valid UTF-8 without control characters. Throws
// ApiError(400) naming the parameter.
class Query {
 public:
  Query(const std::vector<std::pair<std::string, std::string>>& params,
        std::initializer_list<std::string_view> allowed);
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  // `page`: a whole number from 1 to kMaxPage; 1 when absent.
  [[nodiscard]] long long page() const;

  static constexpr long long kMaxPage = 100000;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// A slug as the schema allows it (1 to 160 characters, printable UTF-8);
// throws ApiError(400) naming `what`.
void check_slug(std::string_view slug, std::string_view what);

}  // namespace soulstone::api::internal
