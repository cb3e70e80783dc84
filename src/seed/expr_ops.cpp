#include "seed/expr_ops.hpp"

#include <algorithm>
#include <cmath>

#include "base/error.hpp"
#include "seed/hash.hpp"

namespace soulstone::seed {

namespace {

using Kind = Value::Kind;

constexpr int kMaxScale = 9;  // products of decimals are rounded back to this

int scale_of(const Value& v) { return v.kind == Kind::Decimal ? v.scale : 0; }

[[noreturn]] void mismatch(char op, const Value& a, const Value& b) {
  throw Error(ErrorKind::Input, "cannot apply '" + std::string(1, op) + "' to " +
                                    std::string(kind_name(a.kind)) + " and " +
                                    std::string(kind_name(b.kind)));
}

Value numeric(char op, const Value& a, const Value& b) {
  if (a.kind == Kind::Float || b.kind == Kind::Float) {
    double x = float_of(a), y = float_of(b);
    if (op == '+') return Value::floating(x + y);
    if (op == '-') return Value::floating(x - y);
    if (op == '*') return Value::floating(x * y);
    if (y == 0) throw Error(ErrorKind::Input, "division by zero");
    return Value::floating(op == '/' ? x / y : std::fmod(x, y));
  }
  if (a.kind == Kind::Int && b.kind == Kind::Int && op != '/') {
    if (op == '+') return Value::integer(a.i + b.i);
    if (op == '-') return Value::integer(a.i - b.i);
    if (op == '*') return Value::integer(a.i * b.i);
    if (b.i == 0) throw Error(ErrorKind::Input, "division by zero");
    return Value::integer(a.i % b.i);
  }
  int scale = std::max(scale_of(a), scale_of(b));
  if (op == '+' || op == '-') {
    std::int64_t x = decimal_units(a, scale), y = decimal_units(b, scale);
    return Value::decimal(op == '+' ? x + y : x - y, scale);
  }
  if (op == '*') {
    // Exact product at the sum of the scales, rounded back when too fine.
    int128 product = static_cast<int128>(decimal_units(a, scale_of(a))) * decimal_units(b, scale_of(b));
    int product_scale = scale_of(a) + scale_of(b);
    while (product_scale > kMaxScale) {
      int128 q = product / 10, r = product % 10;
      if (r >= 5) ++q;
      if (r <= -5) --q;
      product = q;
      --product_scale;
    }
    return Value::decimal(static_cast<std::int64_t>(product), product_scale);
  }
  // Division and remainder as decimals with at least 6 decimals.
  int out = std::max(scale, 6);
  int128 x = static_cast<int128>(decimal_units(a, out)) * pow10(out);
  int128 y = decimal_units(b, out);
  if (y == 0) throw Error(ErrorKind::Input, "division by zero");
  if (op == '%') return Value::decimal(static_cast<std::int64_t>((x / pow10(out)) % y), out);
  int128 q = x / y, r = x % y;
  if (2 * (r < 0 ? -r : r) >= (y < 0 ? -y : y)) q += ((x < 0) != (y < 0)) ? -1 : 1;
  return Value::decimal(static_cast<std::int64_t>(q), out);
}

}  // namespace

Value arithmetic(char op, const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Value::null();
  if (op == '+' && (a.kind == Kind::String || b.kind == Kind::String))
    return Value::string(to_text(a) + to_text(b));
  if (a.is_number() && b.is_number()) return numeric(op, a, b);
  if (a.kind == Kind::Timestamp && b.kind == Kind::Interval && (op == '+' || op == '-'))
    return Value::timestamp(op == '+' ? a.i + b.i : a.i - b.i);
  if (a.kind == Kind::Interval && b.kind == Kind::Timestamp && op == '+') return Value::timestamp(a.i + b.i);
  if (a.kind == Kind::Timestamp && b.kind == Kind::Timestamp && op == '-') return Value::interval(a.i - b.i);
  if (a.kind == Kind::Interval && b.kind == Kind::Interval && (op == '+' || op == '-'))
    return Value::interval(op == '+' ? a.i + b.i : a.i - b.i);
  if (a.kind == Kind::Interval && b.is_number() && op == '*')
    return Value::interval(static_cast<std::int64_t>(std::llround(static_cast<double>(a.i) * float_of(b))));
  if (b.kind == Kind::Interval && a.is_number() && op == '*')
    return Value::interval(static_cast<std::int64_t>(std::llround(static_cast<double>(b.i) * float_of(a))));
  mismatch(op, a, b);
}

Value comparison(Comparison op, const Value& a, const Value& b) {
  if (op == Comparison::Equal || op == Comparison::NotEqual) {
    bool equal = (a.is_null() || b.is_null()) ? a.is_null() == b.is_null() : compare(a, b) == 0;
    return Value::boolean(op == Comparison::Equal ? equal : !equal);
  }
  if (a.is_null() || b.is_null()) return Value::null();
  int c = compare(a, b);
  switch (op) {
    case Comparison::Less:
      return Value::boolean(c < 0);
    case Comparison::LessOrEqual:
      return Value::boolean(c <= 0);
    case Comparison::Greater:
      return Value::boolean(c > 0);
    default:
      return Value::boolean(c >= 0);
  }
}

bool truthy(const Value& value) {
  switch (value.kind) {
    case Kind::Null:
      return false;
    case Kind::Bool:
    case Kind::Int:
    case Kind::Decimal:
    case Kind::Timestamp:
    case Kind::Interval:
      return value.i != 0;
    case Kind::Float:
      return value.f != 0;
    case Kind::String:
      return !value.s.empty();
    case Kind::Uuid:
      return true;
    case Kind::Array:
      return !value.items.empty();
  }
  return false;
}

Value round_to(const Value& value, int scale) {
  if (value.is_null()) return value;
  if (scale < 0 || scale > 9) throw Error(ErrorKind::Input, "round() takes 0 to 9 decimals");
  return Value::decimal(decimal_units(value, scale), scale);
}

}  // namespace soulstone::seed
