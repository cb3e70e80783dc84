// Names: reserved names, valid identifiers, and no two declarations of the
// same name in one namespace (types; datasources; generators; the fields of
// a model; the values of an enum; the properties of a block).

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

// The names Prisma Client reserves (its own class and JavaScript keywords).
constexpr std::string_view kReserved[] = {
    "PrismaClient", "break",  "case",     "catch", "class",      "const",   "continue",  "debugger",
    "default",      "delete", "do",       "else",  "enum",       "export",  "extends",   "false",
    "finally",      "for",    "function", "if",    "implements", "import",  "in",        "instanceof",
    "interface",    "let",    "new",      "null",  "package",    "private", "protected", "public",
    "return",       "super",  "switch",   "this",  "throw",      "true",    "try",       "typeof",
    "var",          "void",   "while",    "with",  "yield"};

bool reserved(std::string_view name) {
  for (std::string_view r : kReserved) {
    if (r == name) return true;
  }
  return false;
}

void identifier(Validation& v, const std::string& name, const Span& span, std::string_view item) {
  if (name.empty()) {
    v.error("Error validating: The name of a " + std::string(item) + " must not be empty.", span);
  } else if (name.front() >= '0' && name.front() <= '9') {
    v.error("Error validating: The name of a " + std::string(item) + " must not start with a number.", span);
  } else if (std::find(name.begin(), name.end(), '-') != name.end()) {  // inline: names are short
    v.error("Error validating: The character `-` is not allowed in " + std::string(item) + " names.", span);
  }
}

void attribute_identifiers(Validation& v, const std::vector<Attribute>& attributes) {
  for (const Attribute& attribute : attributes)
    identifier(v, attribute.name, attribute.name_span, "Attribute");
}

void scalar_name(Validation& v, const std::string& name, const Span& span) {
  if (scalar_type_named(name)) {
    v.error("\"" + name + "\" is a reserved scalar type name and cannot be used.", span);
  }
}

// Whether items[i].name occurs in items[0, i). A linear scan for the usual
// few dozen items (no allocation); past that, `seen` hashes the names and
// must be given every i in order.
template <typename T>
bool repeated_name(const std::vector<T>& items, std::size_t i, std::unordered_set<std::string_view>& seen) {
  if (items.size() <= 64) {
    for (std::size_t j = 0; j < i; ++j) {
      if (items[j].name == items[i].name) return true;
    }
    return false;
  }
  return !seen.insert(items[i].name).second;
}

void fields(Validation& v, const Model& model, std::string_view item, std::string_view container) {
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < model.fields.size(); ++i) {
    const Field& field = model.fields[i];
    if (!item.empty()) {
      identifier(v, field.name, field.name_span, item);
      attribute_identifiers(v, field.attributes);
    }
    if (repeated_name(model.fields, i, seen)) {
      v.error("Field \"" + field.name + "\" is already defined on " + std::string(container) + " \"" +
                  model.name + "\".",
              field.name_span);
    }
  }
}

void properties(Validation& v, const ConfigBlock& block) {
  std::unordered_set<std::string_view> seen;
  const char* kind = block.kind == ConfigKind::Datasource ? "source" : "generator";
  for (std::size_t i = 0; i < block.properties.size(); ++i) {
    const ConfigProperty& property = block.properties[i];
    if (repeated_name(block.properties, i, seen)) {
      v.error("Key \"" + property.name + "\" is already defined in " + kind + " \"" + block.name + "\".",
              property.name_span);
    }
  }
}

}  // namespace

namespace {

void index(std::unordered_map<std::string_view, std::size_t>& names, const auto& declarations) {
  names.reserve(declarations.size());
  for (std::size_t i = 0; i < declarations.size(); ++i)
    names.emplace(declarations[i].name, i);  // keeps the first of duplicates
}

}  // namespace

void index_names(Validation& v) {
  index(v.model_names, v.schema.models);
  index(v.enum_names, v.schema.enums);
  index(v.composite_type_names, v.schema.composite_types);
}

void check_names(Validation& v) {
  Schema& schema = v.schema;
  struct Seen {
    std::string_view kind;
  };
  using Namespace = std::unordered_map<std::string_view, std::string_view>;  // name -> kind word
  Namespace types;
  Namespace datasources;
  Namespace generators;
  types.reserve(schema.order.size());
  for (const TopRef& top : schema.order) {
    const std::string* name = nullptr;
    const Span* name_span = nullptr;
    std::string_view kind;
    Namespace* namespace_ = &types;
    switch (top.kind) {
      case TopKind::Enum: {
        const Enum& e = schema.enums[top.index];
        name = &e.name;
        name_span = &e.name_span;
        kind = "enum";
        scalar_name(v, e.name, e.name_span);
        identifier(v, e.name, e.name_span, "Enum");
        if (reserved(e.name)) {
          v.error("Error validating enum `" + e.name + "`: The enum name `" + e.name +
                      "` is invalid. It is a reserved name. Please change it. Read more at "
                      "https://www.prisma.io/docs/reference/tools-and-interfaces/prisma-schema/"
                      "data-model#naming-enums",
                  e.span);
        }
        attribute_identifiers(v, e.attributes);
        std::unordered_set<std::string_view> values;
        for (std::size_t i = 0; i < e.values.size(); ++i) {
          const EnumValue& value = e.values[i];
          identifier(v, value.name, value.name_span, "Enum Value");
          attribute_identifiers(v, value.attributes);
          if (repeated_name(e.values, i, values)) {
            v.error("Value \"" + value.name + "\" is already defined on enum \"" + e.name + "\".",
                    value.span);
          }
        }
        break;
      }
      case TopKind::Model: {
        const Model& model = schema.models[top.index];
        name = &model.name;
        name_span = &model.name_span;
        bool view = model.is_view();
        kind = view ? "view" : "model";
        scalar_name(v, model.name, model.name_span);
        identifier(v, model.name, model.name_span, view ? "view" : "Model");
        if (reserved(model.name)) {
          v.error("Error validating model \"" + model.name + "\": The " + std::string(kind) + " name `" +
                      model.name +
                      "` is invalid. It is a reserved name. Please change it. Read more at "
                      "https://pris.ly/d/naming-models",
                  model.span);
        }
        attribute_identifiers(v, model.attributes);
        fields(v, model, view ? "field" : "Field", kind);
        break;
      }
      case TopKind::CompositeType: {
        const Model& type = schema.composite_types[top.index];
        name = &type.name;
        name_span = &type.name_span;
        kind = "composite type";
        scalar_name(v, type.name, type.name_span);
        identifier(v, type.name, type.name_span, "Composite type");
        fields(v, type, "", "composite type");
        break;
      }
      case TopKind::Datasource:
      case TopKind::Generator: {
        const ConfigBlock& block =
            top.kind == TopKind::Datasource ? schema.datasources[top.index] : schema.generators[top.index];
        name = &block.name;
        name_span = &block.name_span;
        kind = top.kind == TopKind::Datasource ? "datasource" : "generator";
        namespace_ = top.kind == TopKind::Datasource ? &datasources : &generators;
        scalar_name(v, block.name, block.name_span);
        properties(v, block);
        break;
      }
    }
    auto [it, inserted] = namespace_->emplace(*name, kind);
    if (!inserted) {
      v.error("The " + std::string(kind) + " \"" + *name + "\" cannot be defined because a " +
                  std::string(it->second) + " with that name already exists.",
              *name_span);
    }
  }
}

}  // namespace soulstone::psl::detail
