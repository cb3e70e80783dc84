// What each field's type name refers to.

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

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
  if (std::size_t model = v.schema.model_index(type.name); model != npos) {
    type.kind = TypeKind::Model;
    type.target = model;
    return;
  }
  if (std::size_t e = v.schema.enum_index(type.name); e != npos) {
    type.kind = TypeKind::Enum;
    type.target = e;
    return;
  }
  for (std::size_t i = 0; i < v.schema.composite_types.size(); ++i) {
    if (v.schema.composite_types[i].name == type.name) {
      type.kind = TypeKind::CompositeType;
      type.target = i;
      return;
    }
  }
  v.error("Type \"" + type.name +
              "\" is neither a built-in type, nor refers to another model, composite type, or enum.",
          type.span);
}

}  // namespace

void resolve_types(Validation& v) {
  for (Model& model : v.schema.models) {
    for (Field& field : model.fields)
      resolve_field(v, field);
  }
  for (Model& type : v.schema.composite_types) {
    for (Field& field : type.fields)
      resolve_field(v, field);
  }
}

}  // namespace soulstone::psl::detail
