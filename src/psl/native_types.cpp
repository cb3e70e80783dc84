// PostgreSQL native types (@db.VarChar(255)...): the ones Prisma knows for
// the postgresql provider, the scalar type each belongs to and its arguments.

#include <string>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

struct NativeType {
  std::string_view name;
  ScalarType scalar;
  std::size_t required;  // arguments that must be given
  std::size_t optional;  // arguments that may be given
};

constexpr NativeType kPostgres[] = {
    {"SmallInt", ScalarType::Int, 0, 0},
    {"Integer", ScalarType::Int, 0, 0},
    {"Oid", ScalarType::Int, 0, 0},
    {"BigInt", ScalarType::BigInt, 0, 0},
    {"Decimal", ScalarType::Decimal, 0, 2},
    {"Money", ScalarType::Decimal, 0, 0},
    {"Inet", ScalarType::String, 0, 0},
    {"Citext", ScalarType::String, 0, 0},
    {"Real", ScalarType::Float, 0, 0},
    {"DoublePrecision", ScalarType::Float, 0, 0},
    {"VarChar", ScalarType::String, 0, 1},
    {"Char", ScalarType::String, 0, 1},
    {"Text", ScalarType::String, 0, 0},
    {"ByteA", ScalarType::Bytes, 0, 0},
    {"Timestamp", ScalarType::DateTime, 0, 1},
    {"Timestamptz", ScalarType::DateTime, 0, 1},
    {"Date", ScalarType::DateTime, 0, 0},
    {"Time", ScalarType::DateTime, 0, 1},
    {"Timetz", ScalarType::DateTime, 0, 1},
    {"Boolean", ScalarType::Boolean, 0, 0},
    {"Bit", ScalarType::String, 0, 1},
    {"VarBit", ScalarType::String, 0, 1},
    {"Uuid", ScalarType::String, 0, 0},
    {"Xml", ScalarType::String, 0, 0},
    {"Json", ScalarType::Json, 0, 0},
    {"JsonB", ScalarType::Json, 0, 0},
};

const NativeType* find(std::string_view name) {
  for (const NativeType& type : kPostgres) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

}  // namespace

void check_native_type(Validation& v, const Model& model, const Field& field, const Attribute& attribute) {
  (void)model;
  std::string prefix(attribute.prefix());
  std::string type_name(attribute.base_name());
  if (v.datasource_name.empty()) {
    v.error("Native type " + type_name + " is not supported for Default connector.", attribute.span);
    return;
  }
  if (prefix != v.datasource_name) {
    v.error("The prefix " + prefix +
                " is invalid. It must be equal to the name of an existing datasource e.g. " +
                v.datasource_name + ". Did you mean to use " + v.datasource_name + "." + type_name + "?",
            attribute.span);
    return;
  }
  const NativeType* type = find(type_name);
  if (type == nullptr) {
    v.error("Native type " + type_name + " is not supported for postgresql connector.", attribute.span);
    return;
  }
  if (field.type.scalar != type->scalar) {
    v.error("Native type " + type_name + " is not compatible with declared field type " + field.type.name +
                ", expected field type " + std::string(to_string(type->scalar)) + ".",
            attribute.span);
    return;
  }
  std::size_t given = attribute.arguments.size();
  if (type->name == "Decimal" && given == 1) {
    // Precision and scale come together or not at all.
    v.error(
        "Expected two nonnegative integers, but found (" + attribute.arguments[0].value.to_source() + ").",
        attribute.span);
    return;
  }
  if (type->optional > 0) {
    if (given > type->optional) {
      v.error("Native type " + type_name + " takes " + std::to_string(type->optional) +
                  " optional arguments, but received " + std::to_string(given) + ".",
              attribute.span);
      return;
    }
  } else if (given != type->required) {
    v.error("Function \"" + type_name + "\" takes " + std::to_string(type->required) +
                " arguments, but received " + std::to_string(given) + ".",
            attribute.span);
    return;
  }
  for (const Argument& argument : attribute.arguments) {
    if (!argument.value.is_number() || argument.value.value.find('.') != std::string::npos ||
        argument.value.value.front() == '-') {
      v.error("Expected a nonnegative integer, but found (" + argument.value.to_source() + ").",
              argument.value.span);
    }
  }
}

}  // namespace soulstone::psl::detail
