#pragma once
// The built-in word lists fixtures are made of. Personal data in fixtures
// is fake by construction: names are combinations of these lists, e-mail
// domains are reserved for documentation (RFC 2606/6761), phone numbers come
// from ranges reserved for fiction, IP addresses from documentation ranges.

#include <span>
#include <string_view>

namespace soulstone::seed::words {

struct City {
  std::string_view name;
  std::string_view country;        // ISO 3166-1 alpha-2
  std::string_view postal_format;  // '#' a digit, 'A' a capital letter
};

[[nodiscard]] std::span<const std::string_view> first_names() noexcept;
[[nodiscard]] std::span<const std::string_view> last_names() noexcept;
[[nodiscard]] std::span<const std::string_view> streets() noexcept;
[[nodiscard]] std::span<const City> cities() noexcept;
[[nodiscard]] std::span<const std::string_view> lorem() noexcept;
[[nodiscard]] std::span<const std::string_view> adjectives() noexcept;
[[nodiscard]] std::span<const std::string_view> nouns() noexcept;
[[nodiscard]] std::span<const std::string_view> email_domains() noexcept;
[[nodiscard]] std::span<const std::string_view> currencies() noexcept;
[[nodiscard]] std::span<const std::string_view> mime_types() noexcept;

}  // namespace soulstone::seed::words
