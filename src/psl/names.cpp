// Names of top-level declarations and of fields.

#include <string>
#include <unordered_map>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

const char* kind_word(TopKind kind) {
  switch (kind) {
    case TopKind::Model:
      return "model";
    case TopKind::Enum:
      return "enum";
    case TopKind::CompositeType:
      return "composite type";
    case TopKind::Datasource:
      return "datasource";
    case TopKind::Generator:
      return "generator";
  }
  return "model";
}

}  // namespace

void check_names(Validation& v) {
  Schema& schema = v.schema;
  // Models, views, enums and composite types share one namespace.
  std::unordered_map<std::string, TopKind> types;
  for (const TopRef& top : schema.order) {
    const std::string* name = nullptr;
    const Span* span = nullptr;
    const char* word = kind_word(top.kind);
    switch (top.kind) {
      case TopKind::Model:
        name = &schema.models[top.index].name;
        span = &schema.models[top.index].name_span;
        if (schema.models[top.index].is_view()) word = "view";
        break;
      case TopKind::Enum:
        name = &schema.enums[top.index].name;
        span = &schema.enums[top.index].name_span;
        break;
      case TopKind::CompositeType:
        name = &schema.composite_types[top.index].name;
        span = &schema.composite_types[top.index].name_span;
        break;
      default:
        continue;
    }
    auto [it, inserted] = types.emplace(*name, top.kind);
    if (!inserted) {
      v.error(std::string("The ") + word + " \"" + *name + "\" cannot be defined because a " +
                  kind_word(it->second) + " with that name already exists.",
              *span);
    }
  }
}

}  // namespace soulstone::psl::detail
