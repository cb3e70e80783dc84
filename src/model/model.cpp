#include "model/model.hpp"

#include <array>
#include <utility>

namespace soulstone::model {

namespace {

constexpr std::array<std::pair<NativeType, std::string_view>, 26> kNativeNames{{
    {NativeType::SmallInt, "SmallInt"},
    {NativeType::Integer, "Integer"},
    {NativeType::BigInt, "BigInt"},
    {NativeType::Oid, "Oid"},
    {NativeType::Decimal, "Decimal"},
    {NativeType::Money, "Money"},
    {NativeType::Real, "Real"},
    {NativeType::DoublePrecision, "DoublePrecision"},
    {NativeType::VarChar, "VarChar"},
    {NativeType::Char, "Char"},
    {NativeType::Text, "Text"},
    {NativeType::Citext, "Citext"},
    {NativeType::ByteA, "ByteA"},
    {NativeType::Date, "Date"},
    {NativeType::Timestamp, "Timestamp"},
    {NativeType::Timestamptz, "Timestamptz"},
    {NativeType::Time, "Time"},
    {NativeType::Timetz, "Timetz"},
    {NativeType::Boolean, "Boolean"},
    {NativeType::Bit, "Bit"},
    {NativeType::VarBit, "VarBit"},
    {NativeType::Uuid, "Uuid"},
    {NativeType::Xml, "Xml"},
    {NativeType::Json, "Json"},
    {NativeType::JsonB, "JsonB"},
    {NativeType::Inet, "Inet"},
}};

}  // namespace

std::string_view native_type_name(NativeType type) noexcept {
  for (const auto& [value, name] : kNativeNames)
    if (value == type) return name;
  return {};
}

std::optional<NativeType> native_type_named(std::string_view name) noexcept {
  for (const auto& [value, spelled] : kNativeNames)
    if (spelled == name) return value;
  return std::nullopt;
}

std::size_t Table::column_index(std::string_view wanted) const noexcept {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == wanted) return i;
  return npos;
}

const Column* Table::column(std::string_view wanted) const noexcept {
  std::size_t i = column_index(wanted);
  return i == npos ? nullptr : &columns[i];
}

std::size_t Schema::table_index(std::string_view wanted) const noexcept {
  for (std::size_t i = 0; i < tables.size(); ++i)
    if (tables[i].name == wanted) return i;
  return npos;
}

const Table* Schema::table(std::string_view wanted) const noexcept {
  std::size_t i = table_index(wanted);
  return i == npos ? nullptr : &tables[i];
}

const Enum* Schema::enum_named(std::string_view wanted) const noexcept {
  for (const Enum& candidate : enums)
    if (candidate.name == wanted) return &candidate;
  return nullptr;
}

std::vector<std::size_t> Schema::foreign_keys_of(std::size_t table_position) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < foreign_keys.size(); ++i)
    if (foreign_keys[i].table == table_position) out.push_back(i);
  return out;
}

}  // namespace soulstone::model
