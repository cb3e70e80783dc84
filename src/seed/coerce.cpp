// Values as their columns hold them: computed values are converted here,
// once, so that rules reading a column see what the database will store
// (a price at two decimals, a timestamp at the column's precision).

#include <algorithm>

#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

using model::Family;
using model::NativeType;

// The scale decimals are kept at: the column's, but at most 6, so the
// largest numeric(65,30) still fits a 64-bit integer; the digits beyond are
// zeros the database adds.
int kept_scale(const model::ColumnType& type) {
  int scale =
      type.native == NativeType::Decimal && type.args.size() == 2 ? static_cast<int>(type.args[1]) : 2;
  if (type.native == NativeType::Money) scale = 2;
  return std::min(scale, 6);
}

std::string cut(std::string text, std::size_t characters) {
  // Cuts at a UTF-8 character boundary after `characters` characters; a
  // text of no more bytes than that has no more characters either.
  if (text.size() <= characters) return text;
  std::size_t count = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
      if (count == characters) {
        text.resize(k);
        return text;
      }
      ++count;
    }
  }
  return text;
}

void scalar(const ColumnPlan& column, const model::ColumnType& type, Value& value) {
  if (value.is_null()) return;
  switch (type.family) {
    case Family::Int:
    case Family::BigInt: {
      std::int64_t n = integer_of(value);
      std::int64_t limit = type.native == NativeType::SmallInt                                  ? 32767
                           : type.native == NativeType::BigInt || type.family == Family::BigInt ? INT64_MAX
                                                                                                : 2147483647;
      if (n > limit || n < -limit - 1)
        throw Error(ErrorKind::Input,
                    "value " + std::to_string(n) + " is out of range for the column's type");
      // In place: values are coerced once per column and row, on the hot path.
      value.kind = Value::Kind::Int;
      value.i = n;
      return;
    }
    case Family::Float:
      value.f = float_of(value);
      value.kind = Value::Kind::Float;
      return;
    case Family::Decimal: {
      int scale = kept_scale(type);
      std::int64_t units = decimal_units(value, scale);
      if (type.native == NativeType::Decimal && type.args.size() == 2) {
        int whole_digits = static_cast<int>(type.args[0]) - static_cast<int>(type.args[1]);
        if (whole_digits < 18 &&
            (units / pow10(scale) >= pow10(whole_digits) || -units / pow10(scale) >= pow10(whole_digits)))
          throw Error(ErrorKind::Input, "value " + decimal_text(units, scale) + " does not fit decimal(" +
                                            std::to_string(type.args[0]) + "," +
                                            std::to_string(type.args[1]) + ")");
      }
      value.kind = Value::Kind::Decimal;
      value.i = units;
      value.scale = scale;
      return;
    }
    case Family::Boolean:
      if (value.kind == Value::Kind::String) {
        if (value.s != "true" && value.s != "false")
          throw Error(ErrorKind::Input, "'" + value.s + "' is not a boolean");
        value = Value::boolean(value.s == "true");
      } else if (value.kind != Value::Kind::Bool) {
        value = Value::boolean(integer_of(value) != 0);
      }
      return;
    case Family::DateTime: {
      if (value.kind == Value::Kind::String) {
        std::int64_t micros = 0;
        if (!parse_timestamp(value.s, micros))
          throw Error(ErrorKind::Input, "'" + value.s + "' is not a UTC date-time");
        value = Value::timestamp(micros);
      }
      if (value.kind != Value::Kind::Timestamp)
        throw Error(ErrorKind::Input, "expected a date-time, got " + std::string(kind_name(value.kind)));
      if (type.native == NativeType::Date) {
        std::int64_t day = 86400000000LL;
        value.i = (value.i >= 0 ? value.i / day : (value.i - day + 1) / day) * day;
      } else if ((type.native == NativeType::Timestamp || type.native == NativeType::Timestamptz ||
                  type.native == NativeType::Time || type.native == NativeType::Timetz) &&
                 !type.args.empty() && type.args[0] < 6) {
        std::int64_t step = pow10(6 - static_cast<int>(type.args[0]));
        value.i = (value.i >= 0 ? value.i / step : (value.i - step + 1) / step) * step;
      }
      return;
    }
    case Family::Uuid:
      break;
    case Family::Binary: {
      // Bytes are written as hex digits in rules and by the generators.
      std::string text = to_text(value), bytes;
      auto nibble = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
      };
      if (text.starts_with("\\x")) text.erase(0, 2);
      if (text.size() % 2 != 0)
        throw Error(ErrorKind::Input, "bytes are written as an even number of hex digits");
      for (std::size_t k = 0; k < text.size(); k += 2) {
        int high = nibble(text[k]), low = nibble(text[k + 1]);
        if (high < 0 || low < 0) throw Error(ErrorKind::Input, "'" + text + "' is not hex digits");
        bytes.push_back(static_cast<char>(high * 16 + low));
      }
      value = Value::string(std::move(bytes));
      return;
    }
    case Family::Enum: {
      std::string label = value.kind == Value::Kind::String ? std::move(value.s) : to_text(value);
      const model::Enum* e = column.enum_type;
      if (e != nullptr && std::find(e->values.begin(), e->values.end(), label) == e->values.end()) {
        // A Prisma value name whose database name differs (@map).
        if (column.enum_names == nullptr || column.enum_names->count(label) == 0)
          throw Error(ErrorKind::Input, "'" + label + "' is not a value of the enum " + type.name);
        label = column.enum_names->at(label);
      }
      value = Value::string(std::move(label));
      return;
    }
    default:
      break;
  }
  if (type.family == Family::Uuid || type.native == NativeType::Uuid) {
    if (value.kind == Value::Kind::Uuid) return;
    std::uint64_t high = 0, low = 0;
    if (value.kind != Value::Kind::String || !parse_uuid(value.s, high, low))
      throw Error(ErrorKind::Input, "'" + to_text(value) + "' is not a UUID");
    value = Value::uuid(high, low);
    return;
  }
  if (value.kind != Value::Kind::String) value = Value::string(to_text(value));
  if ((type.native == NativeType::VarChar || type.native == NativeType::Char) && !type.args.empty())
    value.s = cut(std::move(value.s), type.args[0]);
}

}  // namespace

void coerce(const ColumnPlan& column, const Plan::Data&, Value& value) {
  const model::ColumnType& type = column.column->type;
  if (value.is_null()) {
    if (type.arity == model::Arity::Required)
      throw Error(ErrorKind::Input, "the value is NULL but the column is required");
    return;
  }
  if (type.arity != model::Arity::List) return scalar(column, type, value);
  if (value.kind != Value::Kind::Array)
    throw Error(ErrorKind::Input, "expected a list, got " + std::string(kind_name(value.kind)));
  model::ColumnType element = type;
  element.arity = model::Arity::Required;
  for (Value& item : value.items) {
    if (item.is_null()) throw Error(ErrorKind::Input, "lists may not hold NULL");
    scalar(column, element, item);
  }
}

}  // namespace soulstone::seed
