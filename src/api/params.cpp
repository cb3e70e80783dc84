// Query parameters and path segments: checked before anything reaches the
// database, so a bad value is a 400 that names it, never a database error.
// Values go to the database only as statement parameters.

#include <algorithm>
#include <cctype>

#include "api/internal.hpp"

namespace soulstone::api::internal {

bool valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) return false;
    unsigned int point = length == 1 ? byte : byte & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      point = (point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
    static constexpr unsigned int kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < kMin[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

bool is_uuid(std::string_view text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) return false;
  }
  return true;
}

namespace {

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// A name or value as it may appear in a message: printable and short.
std::string shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) {
    auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? c : '?';
  }
  return text.size() > 40 ? out + "..." : out;
}

}  // namespace

Query::Query(const std::vector<std::pair<std::string, std::string>>& params,
             std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : params) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string names;
      for (std::string_view a : allowed)
        names += (names.empty() ? "" : ", ") + std::string(a);
      throw ApiError(400, "unknown query parameter '" + shown(name) + "'" +
                              (names.empty() ? ": this endpoint takes none" : " (known: " + names + ")"));
    }
    if (get(name)) throw ApiError(400, "query parameter '" + name + "' is given twice");
    if (!valid_utf8(value) || has_control(value))
      throw ApiError(400, "query parameter '" + name + "' is not printable UTF-8 text");
    params_.emplace_back(name, value);
  }
}

std::optional<std::string> Query::get(std::string_view name) const {
  for (const auto& [key, value] : params_)
    if (key == name) return value;
  return std::nullopt;
}

long long Query::page() const {
  auto text = get("page");
  if (!text) return 1;
  bool digits = !text->empty() && text->size() <= 9 &&
                std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
  long long page = digits ? std::stoll(*text) : 0;
  if (page < 1 || page > kMaxPage)
    throw ApiError(400, "query parameter 'page' must be a whole number from 1 to " +
                            std::to_string(kMaxPage) + ", not '" + shown(*text) + "'");
  return page;
}

void check_slug(std::string_view slug, std::string_view what) {
  if (slug.empty() || slug.size() > 160 || !valid_utf8(slug) || has_control(slug))
    throw ApiError(400, std::string(what) + " must be 1 to 160 characters of printable UTF-8");
}

}  // namespace soulstone::api::internal
