// Column changes: Prisma's cast-risk table for PostgreSQL native types and
// its rules for when two defaults are "the same".

#include "migrate/column_diff.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace soulstone::migrate {

namespace {

using model::NativeType;
using sql::TypeChange;
using T = NativeType;

struct Native {
  NativeType type;
  std::optional<std::uint32_t> a;  // length / precision
  std::optional<std::uint32_t> b;  // scale
  [[nodiscard]] bool has_params() const { return a.has_value(); }
};

Native native_of(const model::ColumnType& type) {
  Native out{*type.native, std::nullopt, std::nullopt};
  if (!type.args.empty()) out.a = type.args[0];
  if (type.args.size() > 1) out.b = type.args[1];
  return out;
}

bool same(const Native& x, const Native& y) { return x.type == y.type && x.a == y.a && x.b == y.b; }

// Prisma's postgres_native_type_change_riskyness; nullopt means "no change".
std::optional<TypeChange> native_change(const Native& previous, const Native& next) {
  constexpr auto Safe = TypeChange::SafeCast;
  constexpr auto Risky = TypeChange::RiskyCast;
  constexpr auto None = TypeChange::NotCastable;
  if (same(previous, next)) return std::nullopt;
  const T to = next.type;
  const bool next_is_char = to == T::Char;
  auto is = [&](std::initializer_list<T> types) {
    for (T type : types)
      if (to == type) return true;
    return false;
  };
  // Integer-like sources share one shape: digits limit for decimals and
  // strings (an optional sign included).
  auto integer_like = [&](T self, std::uint32_t decimal_digits, std::uint32_t string_length) -> TypeChange {
    if (to == T::SmallInt) return self == T::SmallInt ? Safe : Risky;
    if (to == T::Integer) return self == T::BigInt ? Risky : Safe;
    if (to == T::BigInt) return Safe;
    if (to == T::Decimal) {
      if (next.a && next.b && *next.a - *next.b < decimal_digits) return Risky;
      return Safe;
    }
    if (is({T::Real, T::DoublePrecision, T::Text})) return Safe;
    if (is({T::VarChar, T::Char})) {
      if (next.a && *next.a < string_length) return Risky;
      if (!next.a && next_is_char) return Risky;
      return Safe;
    }
    return None;
  };
  auto temporal = [&](std::uint32_t text_length,
                      std::initializer_list<T> safe_targets) -> std::optional<TypeChange> {
    if (is({T::Text}) || (to == T::VarChar && !next.a)) return Safe;
    if (is({T::Char, T::VarChar}) && next.a && *next.a > text_length) return Safe;
    if (to == previous.type) {
      if (!next.a) return std::nullopt;
      if (!previous.a || previous.a == next.a) return std::nullopt;
    }
    for (T type : safe_targets)
      if (to == type) return Safe;
    return None;
  };
  switch (previous.type) {
    case T::Inet:
      return is({T::Citext, T::Text, T::VarChar}) ? Safe : None;
    case T::Money:
      return is({T::Citext, T::Text, T::VarChar}) ? Safe : Risky;
    case T::Citext:
      return is({T::Text, T::VarChar}) ? Safe : Risky;
    case T::Oid:
      return is({T::Text, T::VarChar, T::BigInt, T::Integer}) ? Safe : None;
    case T::SmallInt:
      return integer_like(T::SmallInt, 3, 4);
    case T::Integer:
      return integer_like(T::Integer, 10, 11);
    case T::BigInt:
      return integer_like(T::BigInt, 19, 20);
    case T::Decimal: {
      auto to_int = [&](std::uint32_t max_precision) {
        if (!previous.a) return Risky;
        if (previous.b && *previous.b > 0) return Risky;
        if (*previous.a > max_precision) return Risky;
        return Safe;
      };
      if (to == T::SmallInt) return to_int(2);
      if (to == T::Integer) return to_int(9);
      if (to == T::BigInt) return to_int(18);
      if (to == T::Decimal) {
        if (previous.a && !next.a) return Safe;
        if (!previous.a && next.a) return (*next.a < 131072 || *next.b < 16383) ? Risky : Safe;
        if (previous.a && next.a) {
          auto po = static_cast<long>(*previous.a) - static_cast<long>(*previous.b);
          auto pn = static_cast<long>(*next.a) - static_cast<long>(*next.b);
          if (po > pn || *previous.b > *next.b) return Risky;
        }
        return Safe;
      }
      if (is({T::Real, T::DoublePrecision})) return Risky;
      if (is({T::VarChar, T::Char})) {
        if (next.a && previous.a && previous.b == 0u && *previous.a + 1 > *next.a) return Risky;
        if (next.a && previous.a && previous.b && *previous.b > 0 && *previous.a + 2 > *next.a) return Risky;
        if (next.a && !previous.a && *next.a < 131073) return Risky;
        if (!next.a && next_is_char) return Risky;
        return Safe;
      }
      if (to == T::Text) return Safe;
      return None;
    }
    case T::Real:
    case T::DoublePrecision: {
      bool is_double = previous.type == T::DoublePrecision;
      if (is({T::SmallInt, T::Integer, T::BigInt, T::Decimal})) return Risky;
      if (to == T::Real) return is_double ? Risky : Safe;
      if (to == T::DoublePrecision) return Safe;
      if (is({T::VarChar, T::Char})) {
        if (next.a && *next.a < (is_double ? 317u : 47u)) return Risky;
        if (!next.a && next_is_char) return Risky;
        return Safe;
      }
      if (to == T::Text) return Safe;
      return None;
    }
    case T::VarChar:
    case T::Char: {
      if (to == T::Text) return Safe;
      if (!is({T::VarChar, T::Char})) return None;
      if (previous.type == T::VarChar) {
        if (!previous.a && !next.a && next_is_char) return Risky;
        if (!previous.a && next.a) return Risky;
      } else if (!previous.a) {
        return Safe;
      }
      if (previous.a == 1u && !next.a) return Safe;
      if (previous.a && !next.a && next_is_char) return Risky;
      if (previous.a && !next.a) return Safe;
      if (previous.a && next.a && *previous.a > *next.a) return Risky;
      return Safe;
    }
    case T::Text:
      if (to == T::Text || (to == T::VarChar && !next.a) || to == T::Citext) return Safe;
      if (is({T::VarChar, T::Char})) return Risky;
      return None;
    case T::ByteA:
      if (to == T::Text || (to == T::VarChar && !next.a)) return Safe;
      if (is({T::VarChar, T::Char}) && next.a && *next.a > 2) return Risky;
      return None;
    case T::Timestamp:
      return temporal(22, {T::Timestamp, T::Timestamptz, T::Date, T::Time, T::Timetz});
    case T::Timestamptz:
      return temporal(27, {T::Timestamp, T::Timestamptz, T::Date, T::Time, T::Timetz});
    case T::Date:
      if (to == T::Text || (to == T::VarChar && !next.a)) return Safe;
      if (is({T::Char, T::VarChar}) && next.a && *next.a > 27) return Safe;
      if (is({T::Timestamp, T::Timestamptz})) return Safe;
      return None;
    case T::Time:
      return temporal(13, {T::Timetz});
    case T::Timetz:
      return temporal(18, {T::Timetz, T::Time});
    case T::Boolean:
      if (is({T::Text, T::VarChar})) return Safe;
      if (to == T::Char && next.a && *next.a > 4) return Safe;
      if (to == T::Char && next.a && *next.a > 3) return Risky;
      return None;
    case T::Bit:
      if (!previous.a) return is({T::Text, T::VarChar, T::Char, T::VarBit}) ? Safe : None;
      if (to == T::Text || (to == T::VarChar && !next.a) || (to == T::VarBit && !next.a)) return Safe;
      if (is({T::VarChar, T::VarBit, T::Char}) && next.a && *next.a >= *previous.a) return Safe;
      return None;
    case T::VarBit:
      if (!previous.a) {
        if (to == T::Text || (to == T::VarChar && !next.a)) return Safe;
        if (is({T::VarChar, T::Char, T::Bit})) return Risky;
        return None;
      }
      if (to == T::Text || (to == T::VarChar && !next.a) || (to == T::VarBit && !next.a)) return Safe;
      if (to == T::VarBit && next.a && *next.a > *previous.a) return Safe;
      if (is({T::VarChar, T::Char}) && next.a && *next.a >= *previous.a) return Safe;
      if (to == T::Bit && next.a && *next.a <= *previous.a) return Risky;
      if (to == T::Bit && !next.a) return Risky;
      if (is({T::Char, T::VarChar})) return Risky;
      return None;
    case T::Uuid:
      if (to == T::Text || (to == T::VarChar && !next.a)) return Safe;
      if (is({T::VarChar, T::Char}) && next.a && *next.a > 31) return Safe;
      return None;
    case T::Xml:
    case T::Json:
    case T::JsonB:
      if (to == T::Text || (to == T::VarChar && !next.a)) return Safe;
      if (previous.type == T::Json && to == T::JsonB) return Safe;
      if (previous.type == T::JsonB && to == T::Json) return Safe;
      if (is({T::VarChar, T::Char})) return Risky;
      return None;
  }
  return None;
}

bool json_equal(const std::string& a, const std::string& b) {
  auto x = nlohmann::json::parse(a, nullptr, false);
  auto y = nlohmann::json::parse(b, nullptr, false);
  if (x.is_discarded() || y.is_discarded()) return true;  // Prisma: unparseable compares equal
  return x == y;
}

// Decimal text with trailing fractional zeros (and a lone point) removed, so
// 1.50 equals 1.5 as BigDecimal equality has it.
std::string canonical_number(std::string text) {
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0')
      text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

bool values_equal(const model::Value& a, const model::Value& b) {
  using Kind = model::Value::Kind;
  auto numeric = [](Kind k) { return k == Kind::Int || k == Kind::BigInt; };
  if (numeric(a.kind) && numeric(b.kind)) return a.text == b.text;
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::Float) return canonical_number(a.text) == canonical_number(b.text);
  if (a.kind == Kind::List) {
    if (a.items.size() != b.items.size()) return false;
    for (std::size_t i = 0; i < a.items.size(); ++i)
      if (!values_equal(a.items[i], b.items[i])) return false;
    return true;
  }
  return a.text == b.text;
}

bool list_defaults_match(const std::vector<model::Value>& a, const std::vector<model::Value>& b) {
  using Kind = model::Value::Kind;
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const model::Value& x = a[i];
    const model::Value& y = b[i];
    if ((x.kind == Kind::String && y.kind == Kind::Json) ||
        (x.kind == Kind::Json && y.kind == Kind::String)) {
      if (!json_equal(x.text, y.text)) return false;
    } else if (x.kind == Kind::DateTime || y.kind == Kind::DateTime) {
      continue;
    } else if ((x.kind == Kind::Enum && y.kind == Kind::Bytes) ||
               (x.kind == Kind::Bytes && y.kind == Kind::Enum)) {
      const std::string& text = x.kind == Kind::Enum ? x.text : y.text;
      const std::string& hex = x.kind == Kind::Bytes ? x.text : y.text;
      if (text != "\\x" + hex) return false;
    } else if (!values_equal(x, y)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool defaults_match(const model::Column& previous, const model::Column& next) {
  using K = model::Default::Kind;
  using V = model::Value::Kind;
  const auto& p = previous.default_value;
  const auto& n = next.default_value;
  auto is_value = [](const std::optional<model::Default>& d, V kind) {
    return d && d->kind == K::Value && d->value.kind == kind;
  };
  auto is = [](const std::optional<model::Default>& d, K kind) { return d && d->kind == kind; };
  bool datetime =
      previous.type.family == model::Family::DateTime || next.type.family == model::Family::DateTime;
  if (datetime &&
      ((is(p, K::DbGenerated) && is_value(n, V::List)) || (is_value(p, V::List) && is(n, K::DbGenerated))))
    return true;
  if (is_value(p, V::List) && is_value(n, V::List))
    return list_defaults_match(p->value.items, n->value.items);
  if ((is_value(p, V::Json) || is_value(p, V::String)) && (is_value(n, V::Json) || is_value(n, V::String)) &&
      (is_value(p, V::Json) || is_value(n, V::Json)))
    return json_equal(p->value.text, n->value.text);
  if ((p && is_value(n, V::DateTime)) || (is_value(p, V::DateTime) && n)) return true;
  if ((is_value(p, V::Enum) || is_value(p, V::String)) && (is_value(n, V::Enum) || is_value(n, V::String)))
    return p->value.text == n->value.text;
  if (is(p, K::Value) && is(n, K::Value)) return values_equal(p->value, n->value);
  if (is(p, K::Value)) return false;  // to Now, to nothing, to a generated expression
  if (is(p, K::Now) && is(n, K::Now)) return true;
  if (is(p, K::Now)) return false;
  if (is(p, K::DbGenerated) && (is(n, K::Value) || is(n, K::Now) || !n)) return false;
  if (is(n, K::DbGenerated) && !n->has_expression) return true;
  if (is(p, K::Sequence) && !n) return true;  // the sequence is dropped with the autoincrement change
  if (is(p, K::Sequence) && (is(n, K::Value) || is(n, K::Now))) return false;
  if (!p && !n) return true;
  if (!p && (is(n, K::Value) || is(n, K::Now))) return false;
  if (is(p, K::DbGenerated) && is(n, K::DbGenerated) && p->has_expression) {
    const std::string& a = p->text;
    const std::string& b = n->text;
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
        return false;
    return true;
  }
  if (is(n, K::DbGenerated)) return false;
  return true;  // to a sequence
}

std::optional<TypeChange> type_change(const model::Column& previous, const model::Column& next) {
  const model::ColumnType& a = previous.type;
  const model::ColumnType& b = next.type;
  bool a_enum = a.family == model::Family::Enum;
  bool b_enum = b.family == model::Family::Enum;
  if (a_enum && b_enum) {
    if (a.name == b.name) return std::nullopt;
    return TypeChange::NotCastable;
  }
  if (a_enum || b_enum) return TypeChange::NotCastable;
  bool list_to_scalar = a.arity == model::Arity::List && b.arity != model::Arity::List;
  bool scalar_to_list = a.arity != model::Arity::List && b.arity == model::Arity::List;
  if (list_to_scalar && b.native) {
    if (*b.native == T::Text) return TypeChange::SafeCast;
    if (*b.native == T::VarChar) return b.args.empty() ? TypeChange::SafeCast : TypeChange::RiskyCast;
    if (*b.native == T::Char) return TypeChange::RiskyCast;
  }
  if (list_to_scalar || scalar_to_list) return TypeChange::NotCastable;
  if (a.native && b.native) return native_change(native_of(a), native_of(b));
  if (a.native || b.native) return TypeChange::RiskyCast;
  return std::nullopt;  // both unsupported: Prisma compares a type with itself here
}

ColumnDiff diff_column(const model::Column& previous, const model::Column& next) {
  ColumnDiff out;
  out.type_change = type_change(previous, next);
  if (previous.type.arity != next.type.arity) out.changes.bits |= sql::ColumnChanges::kArity;
  if (out.type_change) out.changes.bits |= sql::ColumnChanges::kType;
  if (!defaults_match(previous, next)) out.changes.bits |= sql::ColumnChanges::kDefault;
  if (previous.auto_increment != next.auto_increment) out.changes.bits |= sql::ColumnChanges::kAutoincrement;
  return out;
}

}  // namespace soulstone::migrate
