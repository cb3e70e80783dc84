// COPY text format: tab-separated, \N for NULL, backslash escapes.

#include <charconv>

#include "pg/copy_text.hpp"
#include "seed/encode.hpp"
#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

void number(std::int64_t n, std::string& out) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, n);
  out.append(buffer, result.ptr);
}

void floating(double d, std::string& out) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  out.append(buffer, result.ptr);
}

const char* kHex = "0123456789abcdef";

}  // namespace

void Encoder::text_value(Writer writer, const Value& value, std::string& out, bool escape) const {
  switch (writer) {
    case Writer::Int2:
    case Writer::Int4:
    case Writer::Int8:
    case Writer::Oid:
      return number(value.i, out);
    case Writer::Float4:
    case Writer::Float8:
      return floating(value.f, out);
    case Writer::Numeric:
    case Writer::Money:
      out += decimal_text(value.i, value.scale);
      return;
    case Writer::Bool:
      out.push_back(value.i ? 't' : 'f');
      return;
    case Writer::Uuid:
      out += uuid_text(static_cast<std::uint64_t>(value.i), value.u);
      return;
    case Writer::Timestamptz:
      out += timestamp_text(value.i, true);
      return;
    case Writer::Timestamp:
      out += timestamp_text(value.i, false);
      return;
    case Writer::Date:
      out += timestamp_text(value.i, false, true);
      return;
    case Writer::Time:
    case Writer::Timetz: {
      std::string full = timestamp_text(value.i, writer == Writer::Timetz);
      out += full.substr(11);
      return;
    }
    case Writer::Bytes:
      // bytea's hex form, its backslash escaped for COPY.
      out += escape ? "\\\\x" : "\\x";
      for (unsigned char c : value.s)
        out.push_back(kHex[c >> 4]), out.push_back(kHex[c & 15]);
      return;
    default:
      if (escape) return pg::append_copy_field(out, value.s);
      out += value.s;
      return;
  }
}

void Encoder::text_field(std::size_t column, const Value& value, std::string& out) const {
  if (value.is_null()) {
    out += "\\N";
    return;
  }
  if (!lists_[column]) return text_value(writers_[column], value, out, true);
  // An array literal, {"a","b"}, then escaped once more for COPY.
  std::string literal = "{";
  for (std::size_t k = 0; k < value.items.size(); ++k) {
    if (k != 0) literal.push_back(',');
    std::string item;
    text_value(writers_[column], value.items[k], item, false);
    literal.push_back('"');
    for (char c : item) {
      if (c == '"' || c == '\\') literal.push_back('\\');
      literal.push_back(c);
    }
    literal.push_back('"');
  }
  literal.push_back('}');
  pg::append_copy_field(out, literal);
}

}  // namespace soulstone::seed
