// What each field's type name refers to.

#include <cctype>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// A declared or built-in type that differs only in case, for "Did you mean".
std::string suggestion(const Schema& schema, std::string_view name) {
  for (const TopRef& top : schema.order) {
    const std::string* candidate = nullptr;
    if (top.kind == TopKind::Model) candidate = &schema.models[top.index].name;
    if (top.kind == TopKind::Enum) candidate = &schema.enums[top.index].name;
    if (top.kind == TopKind::CompositeType) candidate = &schema.composite_types[top.index].name;
    if (candidate != nullptr && same_ignoring_case(*candidate, name)) return *candidate;
  }
  for (std::string_view scalar :
       {"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"}) {
    if (same_ignoring_case(scalar, name)) return std::string(scalar);
  }
  return {};
}

void resolve_field(Validation& v, Field& field) {
  FieldType& type = field.type;
  if (type.is_unsupported()) {
    type.kind = TypeKind::Unsupported;
    return;
  }
  if (auto scalar = scalar_type_named(type.name)) {
    type.kind = TypeKind::Scalar;
    type.scalar = *scalar;
    return;
  }
  if (auto it = v.model_names.find(type.name); it != v.model_names.end()) {
    type.kind = TypeKind::Model;
    type.target = it->second;
    return;
  }
  if (auto it = v.enum_names.find(type.name); it != v.enum_names.end()) {
    type.kind = TypeKind::Enum;
    type.target = it->second;
    return;
  }
  if (auto it = v.composite_type_names.find(type.name); it != v.composite_type_names.end()) {
    type.kind = TypeKind::CompositeType;
    type.target = it->second;
    return;
  }
  std::string message =
      "Type \"" + type.name +
      "\" is neither a built-in type, nor refers to another model, composite type, or enum.";
  if (std::string other = suggestion(v.schema, type.name); !other.empty())
    message += " Did you mean \"" + other + "\"?";
  v.error(std::move(message), type.span);
}

}  // namespace

void resolve_types(Validation& v) {
  for (const TopRef& top : v.schema.order) {
    if (top.kind == TopKind::Model) {
      for (Field& field : v.schema.models[top.index].fields)
        resolve_field(v, field);
    } else if (top.kind == TopKind::CompositeType) {
      for (Field& field : v.schema.composite_types[top.index].fields)
        resolve_field(v, field);
    }
  }
}

}  // namespace soulstone::psl::detail
