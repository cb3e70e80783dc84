#include "seed/encode.hpp"

#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

using model::Family;
using model::NativeType;

}  // namespace

Encoder::Writer Encoder::writer_for(const model::ColumnType& type) {
  if (type.native) {
    switch (*type.native) {
      case NativeType::SmallInt:
        return Writer::Int2;
      case NativeType::Integer:
        return Writer::Int4;
      case NativeType::BigInt:
        return Writer::Int8;
      case NativeType::Oid:
        return Writer::Oid;
      case NativeType::Decimal:
        return Writer::Numeric;
      case NativeType::Money:
        return Writer::Money;
      case NativeType::Real:
        return Writer::Float4;
      case NativeType::DoublePrecision:
        return Writer::Float8;
      case NativeType::ByteA:
        return Writer::Bytes;
      case NativeType::Date:
        return Writer::Date;
      case NativeType::Timestamp:
        return Writer::Timestamp;
      case NativeType::Timestamptz:
        return Writer::Timestamptz;
      case NativeType::Time:
        return Writer::Time;
      case NativeType::Timetz:
        return Writer::Timetz;
      case NativeType::Boolean:
        return Writer::Bool;
      case NativeType::Uuid:
        return Writer::Uuid;
      case NativeType::Json:
        return Writer::Json;
      case NativeType::JsonB:
        return Writer::JsonB;
      case NativeType::Inet:
        return Writer::Inet;
      case NativeType::Bit:
      case NativeType::VarBit:
        return Writer::Unsupported;
      default:
        return Writer::Text;  // varchar, char, text, citext, xml
    }
  }
  switch (type.family) {
    case Family::Enum:
      return Writer::Enum;
    case Family::Unsupported:
      return Writer::Unsupported;
    case Family::Int:
      return Writer::Int4;
    case Family::BigInt:
      return Writer::Int8;
    case Family::Float:
      return Writer::Float8;
    case Family::Decimal:
      return Writer::Numeric;
    case Family::Boolean:
      return Writer::Bool;
    case Family::DateTime:
      return Writer::Timestamp;
    case Family::Json:
      return Writer::JsonB;
    case Family::Binary:
      return Writer::Bytes;
    case Family::Uuid:
      return Writer::Uuid;
    default:
      return Writer::Text;
  }
}

bool Encoder::binary_supported(const TablePlan& table) {
  for (const ColumnPlan& column : table.columns)
    if (writer_for(column.column->type) == Writer::Unsupported) return false;
  return true;
}

std::uint32_t builtin_element_oid(const model::ColumnType& type) {
  if (type.family == Family::Enum || type.family == Family::Unsupported) return 0;
  if (!type.native) return 0;
  switch (*type.native) {
    case NativeType::SmallInt:
      return 21;
    case NativeType::Integer:
      return 23;
    case NativeType::BigInt:
      return 20;
    case NativeType::Oid:
      return 26;
    case NativeType::Decimal:
      return 1700;
    case NativeType::Money:
      return 790;
    case NativeType::Real:
      return 700;
    case NativeType::DoublePrecision:
      return 701;
    case NativeType::VarChar:
      return 1043;
    case NativeType::Char:
      return 1042;
    case NativeType::Text:
      return 25;
    case NativeType::ByteA:
      return 17;
    case NativeType::Date:
      return 1082;
    case NativeType::Timestamp:
      return 1114;
    case NativeType::Timestamptz:
      return 1184;
    case NativeType::Time:
      return 1083;
    case NativeType::Timetz:
      return 1266;
    case NativeType::Boolean:
      return 16;
    case NativeType::Uuid:
      return 2950;
    case NativeType::Xml:
      return 142;
    case NativeType::Json:
      return 114;
    case NativeType::JsonB:
      return 3802;
    case NativeType::Inet:
      return 869;
    default:
      return 0;
  }
}

Encoder::Encoder(const Plan::Data& plan, const TablePlan& table, CopyFormat format,
                 std::vector<std::uint32_t> element_oids, std::vector<bool> nulled,
                 std::vector<std::size_t> columns)
    : plan_(&plan), table_(&table), format_(format), columns_(std::move(columns)) {
  element_oids.resize(table.columns.size(), 0);
  nulled.resize(table.columns.size(), false);
  if (columns_.empty())
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      columns_.push_back(c);
  for (std::size_t c : columns_) {
    const model::ColumnType& type = table.columns[c].column->type;
    writers_.push_back(writer_for(type));
    lists_.push_back(type.arity == model::Arity::List);
    element_oids_.push_back(element_oids[c]);
    nulled_.push_back(nulled[c]);
  }
}

void Encoder::header(std::string& out) const {
  if (format_ != CopyFormat::Binary) return;
  // Signature, flags (no OIDs), header extension length.
  static constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
  out.append(kHeader, 19);
}

void Encoder::trailer(std::string& out) const {
  if (format_ == CopyFormat::Binary) out.append("\xff\xff", 2);
}

void Encoder::row(Row& row, std::string& out) const {
  static const Value kNull;
  if (format_ == CopyFormat::Binary) {
    auto count = static_cast<std::uint16_t>(writers_.size());
    out.push_back(static_cast<char>(count >> 8));
    out.push_back(static_cast<char>(count & 0xff));
  }
  for (std::size_t c = 0; c < writers_.size(); ++c) {
    const Value& value = nulled_[c] ? kNull : row.value(columns_[c]);
    if (format_ == CopyFormat::Binary) {
      binary_field(c, value, out);
    } else {
      if (c != 0) out.push_back('\t');
      text_field(c, value, out);
    }
  }
  if (format_ == CopyFormat::Text) out.push_back('\n');
}

}  // namespace soulstone::seed
