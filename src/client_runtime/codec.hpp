#pragma once
// Codec<T>: how a value of the generated client becomes a parameter (text)
// and is read back from a result. Scalars delegate to encode()/decode() in
// client_runtime/values.hpp; lists (Prisma's String[], Int[]...) are
// PostgreSQL array literals; enums and Json add their own specializations
// (generated code, client_runtime/json.hpp). Specializations may be
// declared anywhere before their first use.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client_runtime/values.hpp"
#include "pg/connection.hpp"

namespace soulstone::client {

template <class T>
struct Codec {
  static decltype(auto) encode(const T& value) { return client::encode(value); }
  static void decode(std::string_view text, T& out) { client::decode(text, out); }
};

// Bytes is a vector but a scalar: bytea, not an array.
template <>
struct Codec<Bytes> {
  static std::string encode(const Bytes& value) { return client::encode(value); }
  static void decode(std::string_view text, Bytes& out) { client::decode(text, out); }
};

// Appends one element to an array literal under construction, quoted.
void append_array_element(std::string& literal, std::string_view element);
// The elements of a one-dimensional array literal, unquoted; throws the
// error of throw_bad_value for NULL elements (Prisma lists hold none) and
// for text that is not an array.
[[nodiscard]] std::vector<std::string> split_array(std::string_view literal);

template <class T>
struct Codec<std::vector<T>> {
  static std::string encode(const std::vector<T>& values) {
    std::string literal = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) literal += ',';
      append_array_element(literal, Codec<T>::encode(values[i]));
    }
    literal += '}';
    return literal;
  }
  static void decode(std::string_view text, std::vector<T>& out) {
    std::vector<std::string> elements = split_array(text);
    out.clear();
    out.resize(elements.size());
    for (std::size_t i = 0; i < elements.size(); ++i)
      Codec<T>::decode(elements[i], out[i]);
  }
};

// The text of a parameter: nullopt is SQL NULL.
template <class T>
[[nodiscard]] std::optional<std::string> to_param(const T& value) {
  return std::string(Codec<T>::encode(value));
}
template <class T>
[[nodiscard]] std::optional<std::string> to_param(const std::optional<T>& value) {
  if (!value) return std::nullopt;
  return std::string(Codec<T>::encode(*value));
}

// Throws: a NULL where the schema has a required field.
[[noreturn]] void throw_unexpected_null(const pg::Result& result, int column);

// Reads column `column` of row `row` into `out`.
template <class T>
void read(const pg::Result& result, int row, int column, T& out) {
  if (result.is_null(row, column)) throw_unexpected_null(result, column);
  Codec<T>::decode(result.get(row, column), out);
}
// A list column that is NULL reads as an empty list, as Prisma reads it.
template <class T>
void read(const pg::Result& result, int row, int column, std::vector<T>& out) {
  if (result.is_null(row, column)) {
    out.clear();
    return;
  }
  Codec<std::vector<T>>::decode(result.get(row, column), out);
}
template <class T>
void read(const pg::Result& result, int row, int column, std::optional<T>& out) {
  if (result.is_null(row, column)) {
    out.reset();
    return;
  }
  Codec<T>::decode(result.get(row, column), out.emplace());
}

}  // namespace soulstone::client
