#include "model/schema_values.hpp"

#include <cctype>
#include <string>

namespace soulstone::model {

namespace {

std::string base64_to_hex(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      unsigned byte = (buffer >> bits) & 0xFF;
      hex += kHex[byte >> 4];
      hex += kHex[byte & 0xF];
    }
  }
  return hex;
}

bool digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i)
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  return true;
}

}  // namespace

std::string display_datetime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  if (!digits(text, 0, 4) || text.size() < 20 || text[4] != '-' || !digits(text, 5, 2) || text[7] != '-' ||
      !digits(text, 8, 2) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !digits(text, 11, 2) || text[13] != ':' || !digits(text, 14, 2) || text[16] != ':' ||
      !digits(text, 17, 2))
    return std::string(text);
  std::string out = std::string(text.substr(0, 10)) + " " + std::string(text.substr(11, 8));
  std::size_t i = 19;
  std::string fraction;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      fraction += text[i++];
  }
  // chrono prints a non-zero fraction in groups of three digits.
  while (fraction.size() % 3 != 0)
    fraction += '0';
  if (fraction.size() > 9) fraction.resize(9);
  while (fraction.size() > 3 && fraction.compare(fraction.size() - 3, 3, "000") == 0)
    fraction.resize(fraction.size() - 3);
  if (!fraction.empty() && fraction.find_first_not_of('0') != std::string::npos) out += "." + fraction;
  std::string_view zone = text.substr(i);
  if (zone == "Z" || zone == "z")
    out += " +00:00";
  else
    out += " " + std::string(zone);
  return out;
}

Value constant_value(const psl::Expression& value, psl::ScalarType type) {
  using psl::ScalarType;
  if (value.is_array()) {
    Value list{Value::Kind::List, {}, {}};
    for (const psl::Expression& item : value.items)
      list.items.push_back(constant_value(item, type));
    return list;
  }
  if (value.is_number()) {
    switch (type) {
      case ScalarType::Int:
        return {Value::Kind::Int, value.value, {}};
      case ScalarType::BigInt:
        return {Value::Kind::BigInt, value.value, {}};
      default:
        return {Value::Kind::Float, value.value, {}};
    }
  }
  if (value.is_string()) {
    switch (type) {
      case ScalarType::DateTime:
        return {Value::Kind::DateTime, display_datetime(value.value), {}};
      case ScalarType::Json:
        return {Value::Kind::Json, value.value, {}};
      case ScalarType::Bytes:
        return {Value::Kind::Bytes, base64_to_hex(value.value), {}};
      case ScalarType::Decimal:
        return {Value::Kind::Float, value.value, {}};
      default:
        return {Value::Kind::String, value.value, {}};
    }
  }
  return {Value::Kind::Boolean, value.value, {}};  // true / false
}

}  // namespace soulstone::model
