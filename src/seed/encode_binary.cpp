// COPY binary format: per field a 32-bit length and the type's binary
// ("send") form, big-endian, as PostgreSQL's *_recv functions read it.

#include <arpa/inet.h>

#include <cstring>

#include "base/error.hpp"
#include "seed/encode.hpp"
#include "seed/hash.hpp"

namespace soulstone::seed {

namespace {

constexpr std::int64_t kPostgresEpoch = 946684800000000LL;  // 2000-01-01 in Unix microseconds
constexpr std::int64_t kDay = 86400000000LL;

template <typename T>
void put(std::string& out, T value) {
  using U = std::make_unsigned_t<T>;
  auto bits = static_cast<U>(value);
  for (int shift = static_cast<int>(sizeof(T)) * 8 - 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((bits >> shift) & 0xff));
}

void put_double(std::string& out, double d) {
  std::uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  put(out, bits);
}

void put_float(std::string& out, float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  put(out, bits);
}

// numeric's send form: base-10000 digits with a weight, sign and display scale.
void put_numeric(std::string& out, std::int64_t units, int scale) {
  bool negative = units < 0;
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  // Pad the fraction to whole base-10000 digits: scale 2 -> 4 digits.
  int padded = (scale + 3) / 4 * 4;
  uint128 value = magnitude;
  for (int k = scale; k < padded; ++k)
    value *= 10;
  std::int16_t groups[16];
  int count = 0;
  while (value != 0) {
    groups[count++] = static_cast<std::int16_t>(value % 10000);
    value /= 10000;
  }
  // groups[] holds the digits least significant first; the first padded/4
  // are the fraction.
  int fraction_groups = padded / 4;
  int weight = count - fraction_groups - 1;
  int low = 0;
  while (low < count && groups[low] == 0)
    ++low;  // trailing zeros of the number
  int digits = count - low;
  if (digits == 0) weight = 0;
  put<std::int16_t>(out, static_cast<std::int16_t>(digits));
  put<std::int16_t>(out, static_cast<std::int16_t>(weight));
  put<std::uint16_t>(out, negative && digits != 0 ? 0x4000 : 0x0000);
  put<std::int16_t>(out, static_cast<std::int16_t>(scale));
  for (int k = count - 1; k >= low; --k)
    put<std::int16_t>(out, groups[k]);
}

void put_inet(std::string& out, const std::string& text) {
  std::string address = text;
  int bits = -1;
  if (auto slash = address.find('/'); slash != std::string::npos) {
    bits = std::stoi(address.substr(slash + 1));
    address.resize(slash);
  }
  unsigned char bytes[16];
  bool v6 = address.find(':') != std::string::npos;
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), bytes) != 1)
    throw Error(ErrorKind::Input, "'" + text + "' is not an IP address");
  int size = v6 ? 16 : 4;
  out.push_back(static_cast<char>(v6 ? 3 : 2));  // PGSQL_AF_INET6 / PGSQL_AF_INET
  out.push_back(static_cast<char>(bits < 0 ? size * 8 : bits));
  out.push_back(0);  // not cidr
  out.push_back(static_cast<char>(size));
  out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

}  // namespace

void Encoder::binary_scalar(Writer writer, const Value& value, std::string& out) const {
  switch (writer) {
    case Writer::Int2:
      return put(out, static_cast<std::int16_t>(value.i));
    case Writer::Int4:
      return put(out, static_cast<std::int32_t>(value.i));
    case Writer::Int8:
      return put(out, static_cast<std::int64_t>(value.i));
    case Writer::Oid:
      return put(out, static_cast<std::uint32_t>(value.i));
    case Writer::Float4:
      return put_float(out, static_cast<float>(value.f));
    case Writer::Float8:
      return put_double(out, value.f);
    case Writer::Numeric:
      return put_numeric(out, value.i, value.scale);
    case Writer::Money:
      return put(out, decimal_units(value, 2));
    case Writer::Bool:
      out.push_back(value.i ? 1 : 0);
      return;
    case Writer::Uuid:
      put(out, static_cast<std::uint64_t>(value.i));
      put(out, value.u);
      return;
    case Writer::Timestamp:
    case Writer::Timestamptz:
      return put(out, value.i - kPostgresEpoch);
    case Writer::Date: {
      std::int64_t micros = value.i - kPostgresEpoch;
      return put(out, static_cast<std::int32_t>(micros >= 0 ? micros / kDay : (micros - kDay + 1) / kDay));
    }
    case Writer::Time:
    case Writer::Timetz: {
      std::int64_t of_day = ((value.i % kDay) + kDay) % kDay;
      put(out, of_day);
      if (writer == Writer::Timetz) put(out, std::int32_t{0});
      return;
    }
    case Writer::JsonB:
      out.push_back(1);
      out += value.s;
      return;  // jsonb's version byte
    case Writer::Inet:
      return put_inet(out, value.s);
    default:
      out += value.s;
      return;  // text, varchar, enum labels, json, bytea
  }
}

void Encoder::binary_field(std::size_t column, const Value& value, std::string& out) const {
  if (value.is_null()) return put(out, std::int32_t{-1});
  std::size_t length_at = out.size();
  put(out, std::int32_t{0});
  Writer writer = writers_[column];
  if (!lists_[column]) {
    binary_scalar(writer, value, out);
  } else {
    put(out, std::int32_t{value.items.empty() ? 0 : 1});  // dimensions
    put(out, std::int32_t{0});                            // no NULL elements
    put(out, element_oids_[column]);
    if (!value.items.empty()) {
      put(out, static_cast<std::int32_t>(value.items.size()));
      put(out, std::int32_t{1});  // lower bound
    }
    for (const Value& item : value.items) {
      std::size_t item_at = out.size();
      put(out, std::int32_t{0});
      binary_scalar(writer, item, out);
      auto item_length = static_cast<std::uint32_t>(out.size() - item_at - 4);
      for (int k = 0; k < 4; ++k)
        out[item_at + k] = static_cast<char>(item_length >> (24 - 8 * k));
    }
  }
  auto length = static_cast<std::uint32_t>(out.size() - length_at - 4);
  for (int k = 0; k < 4; ++k)
    out[length_at + k] = static_cast<char>(length >> (24 - 8 * k));
}

}  // namespace soulstone::seed
