#pragma once
// The typed filters of a generated where-input, one per scalar field:
//
//   db::UserWhere where{
//       .email = {.ends_with = "@example.com"},
//       .role = {.in = {{db::Role::STAFF, db::Role::ADMIN}}},
//       .lastLoginAt = {.is_null = false},
//   };
//
// Every member left unset adds nothing; the members that are set must all
// hold (AND). Comparisons follow SQL: `not_equals`, `not_in` and the
// comparisons never match NULL (Prisma's semantics). `in` with an empty list
// matches nothing. `is_null` exists only on optional fields: on a required
// field the member has type NotNullable and cannot be given a value.
// `insensitive` makes equals, contains, starts_with and ends_with ignore case
// (ILIKE).

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "client_runtime/sql.hpp"

namespace soulstone::client {

struct NotNullable {};
template <bool Nullable>
using IsNull = std::conditional_t<Nullable, std::optional<bool>, NotNullable>;

// Int, BigInt, Float, Decimal, DateTime.
template <class T, bool Nullable = false>
struct Filter {
  std::optional<T> equals;
  std::optional<T> not_equals;
  std::optional<std::vector<T>> in;
  std::optional<std::vector<T>> not_in;
  std::optional<T> lt;
  std::optional<T> lte;
  std::optional<T> gt;
  std::optional<T> gte;
  [[no_unique_address]] IsNull<Nullable> is_null;
};

template <bool Nullable = false>
struct StringFilter {
  std::optional<std::string> equals;
  std::optional<std::string> not_equals;
  std::optional<std::vector<std::string>> in;
  std::optional<std::vector<std::string>> not_in;
  std::optional<std::string> lt;
  std::optional<std::string> lte;
  std::optional<std::string> gt;
  std::optional<std::string> gte;
  std::optional<std::string> contains;
  std::optional<std::string> starts_with;
  std::optional<std::string> ends_with;
  bool insensitive = false;
  [[no_unique_address]] IsNull<Nullable> is_null;
};

// Boolean, enums, Bytes.
template <class T, bool Nullable = false>
struct EqualityFilter {
  std::optional<T> equals;
  std::optional<T> not_equals;
  std::optional<std::vector<T>> in;
  std::optional<std::vector<T>> not_in;
  [[no_unique_address]] IsNull<Nullable> is_null;
};

// Json: equality of the whole document (jsonb).
template <class Json, bool Nullable = false>
struct JsonFilter {
  std::optional<Json> equals;
  std::optional<Json> not_equals;
  [[no_unique_address]] IsNull<Nullable> is_null;
};

// Scalar lists (String[], Int[]...).
template <class T>
struct ListFilter {
  std::optional<std::vector<T>> equals;
  std::optional<T> has;
  std::optional<std::vector<T>> has_every;
  std::optional<std::vector<T>> has_some;
  std::optional<bool> is_empty;
};

namespace detail {

template <class T>
void compare(Conditions& out, const char* column, const char* op, const std::optional<T>& value) {
  if (value) out.add(std::string(column) + op + out.sql().bind_value(*value));
}

template <class T>
void membership(Conditions& out, const char* column, const std::optional<std::vector<T>>& in,
                const std::optional<std::vector<T>>& not_in) {
  if (in)
    out.add(in->empty() ? std::string("FALSE")
                        : std::string(column) + " = ANY(" + out.sql().bind_value(*in) + ")");
  if (not_in && !not_in->empty())
    out.add(std::string(column) + " <> ALL(" + out.sql().bind_value(*not_in) + ")");
}

template <bool Nullable>
void null_check(Conditions& out, const char* column, const IsNull<Nullable>& is_null) {
  if constexpr (Nullable) {
    if (is_null) out.add(std::string(column) + (*is_null ? " IS NULL" : " IS NOT NULL"));
  }
}

void like(Conditions& out, const char* column, bool insensitive, std::string pattern);

}  // namespace detail

template <class T, bool Nullable>
void apply(Conditions& out, const char* column, const Filter<T, Nullable>& f) {
  detail::compare(out, column, " = ", f.equals);
  detail::compare(out, column, " <> ", f.not_equals);
  detail::membership(out, column, f.in, f.not_in);
  detail::compare(out, column, " < ", f.lt);
  detail::compare(out, column, " <= ", f.lte);
  detail::compare(out, column, " > ", f.gt);
  detail::compare(out, column, " >= ", f.gte);
  detail::null_check<Nullable>(out, column, f.is_null);
}

template <bool Nullable>
void apply(Conditions& out, const char* column, const StringFilter<Nullable>& f) {
  if (f.equals && f.insensitive) {
    detail::like(out, column, true, escape_like(*f.equals));
  } else {
    detail::compare(out, column, " = ", f.equals);
  }
  detail::compare(out, column, " <> ", f.not_equals);
  detail::membership(out, column, f.in, f.not_in);
  detail::compare(out, column, " < ", f.lt);
  detail::compare(out, column, " <= ", f.lte);
  detail::compare(out, column, " > ", f.gt);
  detail::compare(out, column, " >= ", f.gte);
  if (f.contains) detail::like(out, column, f.insensitive, "%" + escape_like(*f.contains) + "%");
  if (f.starts_with) detail::like(out, column, f.insensitive, escape_like(*f.starts_with) + "%");
  if (f.ends_with) detail::like(out, column, f.insensitive, "%" + escape_like(*f.ends_with));
  detail::null_check<Nullable>(out, column, f.is_null);
}

template <class T, bool Nullable>
void apply(Conditions& out, const char* column, const EqualityFilter<T, Nullable>& f) {
  detail::compare(out, column, " = ", f.equals);
  detail::compare(out, column, " <> ", f.not_equals);
  detail::membership(out, column, f.in, f.not_in);
  detail::null_check<Nullable>(out, column, f.is_null);
}

template <class Json, bool Nullable>
void apply(Conditions& out, const char* column, const JsonFilter<Json, Nullable>& f) {
  detail::compare(out, column, " = ", f.equals);
  detail::compare(out, column, " <> ", f.not_equals);
  detail::null_check<Nullable>(out, column, f.is_null);
}

template <class T>
void apply(Conditions& out, const char* column, const ListFilter<T>& f) {
  detail::compare(out, column, " = ", f.equals);
  if (f.has) out.add(out.sql().bind_value(*f.has) + " = ANY(" + column + ")");
  detail::compare(out, column, " @> ", f.has_every);
  detail::compare(out, column, " && ", f.has_some);
  if (f.is_empty) out.add("cardinality(" + std::string(column) + (*f.is_empty ? ") = 0" : ") > 0"));
}

}  // namespace soulstone::client
