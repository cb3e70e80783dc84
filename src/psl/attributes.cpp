// The attribute phase: every attribute of every field, model and enum, in
// Prisma's order (relation fields' attributes first, then each declaration's
// scalar fields and block attributes).

#include <algorithm>
#include <set>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

std::string join(const std::vector<std::string>& names, std::string_view separator = ", ") {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : std::string(separator)) + name;
  return out;
}

void map_argument(Arguments& args) {
  if (auto name = args.string(args.optional("map")); name && name->empty())
    args.attribute_error("The `map` argument cannot be an empty string.");
}

void sort_argument(Arguments& args) {
  if (auto sort = args.constant(args.optional("sort")); sort && *sort != "Asc" && *sort != "Desc")
    args.attribute_error("The `sort` argument can only be `Asc` or `Desc` you provided: " + *sort + ".");
}

// Resolves `fields: [a, b(sort: Desc)]` of an index or id. Reports unknown
// and relation fields with `what` ("index", "unique index", "multi field
// id"); returns nullopt when it reported anything.
std::optional<std::vector<std::size_t>> index_fields(Validation& v, const Model& model, Arguments& args,
                                                     const Expression* list, std::string_view kind) {
  if (list == nullptr) return std::nullopt;
  std::vector<const Expression*> items;
  if (list->is_array()) {
    for (const Expression& item : list->items)
      items.push_back(&item);
  } else {
    items.push_back(list);
  }
  std::vector<std::size_t> out;
  std::vector<std::string> unknown;
  std::vector<std::string> relations;
  std::vector<std::string> suggested;
  bool ok = true;
  for (const Expression* item : items) {
    if (!item->is_constant() && !item->is_function()) {
      v.error("Expected a constant literal value, but received " + std::string(value_kind(*item)) +
                  " value `" + item->to_source() + "`.",
              item->span);
      ok = false;
      continue;
    }
    if (item->is_function()) {
      for (const Argument& argument : item->arguments) {
        if (argument.name == "sort") {
          if (argument.value.is_constant() && argument.value.value != "Asc" && argument.value.value != "Desc")
            args.attribute_error("The `sort` argument can only be `Asc` or `Desc` you provided: " +
                                 argument.value.value + ".");
        } else if (argument.name == "length") {
          (void)args.integer(&argument.value);
        } else if (argument.name == "ops") {
          // A constant operator class or raw("..."); checked with the index type.
        } else {
          v.error(attribute_error(args.attribute(), "Invalid field argument `" + argument.name + "`."),
                  argument.span);
          ok = false;
        }
      }
    }
    std::size_t index = model.field_index(item->value);
    if (index == npos) {
      unknown.push_back(item->value);
      continue;
    }
    const Field& field = model.fields[index];
    if (field.type.kind == TypeKind::Model) {
      relations.push_back(field.name);
      if (const Attribute* relation = field.attribute("relation")) {
        if (const Expression* fields = relation->value_of("fields")) {
          if (fields->is_array()) {
            for (const Expression& f : fields->items)
              suggested.push_back(f.value);
          }
        }
      }
      continue;
    }
    if (std::find(out.begin(), out.end(), index) != out.end()) {
      v.error(model_error(model, "The unique index definition refers to the field " + field.name +
                                     " multiple times."),
              args.attribute().span);
      return std::nullopt;
    }
    out.push_back(index);
  }
  if (!unknown.empty()) {
    std::string message;
    if (kind == "multi field id") {
      std::vector<std::string> quoted;
      for (const auto& name : unknown)
        quoted.push_back("`" + name + "`");
      message = "The multi field id declaration refers to the unknown field" +
                std::string(unknown.size() == 1 ? " " : "s ") + join(quoted) + ".";
    } else {
      message =
          "The " + std::string(kind) + " definition refers to the unknown fields: " + join(unknown) + ".";
    }
    v.error(model_error(model, message), args.attribute().span);
    ok = false;
  }
  if (!relations.empty() && kind == "multi field id") {
    std::vector<std::string> quoted;
    for (const auto& name : relations)
      quoted.push_back("`" + name + "`");
    v.error(model_error(model, "The id definition refers to the relation field" +
                                   std::string(relations.size() == 1 ? " " : "s ") + join(quoted) +
                                   ". ID definitions must reference only scalar fields."),
            args.attribute().span);
    ok = false;
  } else if (!relations.empty()) {
    std::string message = "The " + std::string(kind) + " definition refers to the relation fields " +
                          join(relations) + ". Index definitions must reference only scalar fields.";
    if (!suggested.empty()) {
      message += " Did you mean `@@" + std::string(kind == "unique index" ? "unique" : "index") + "([" +
                 join(suggested) + "])`?";
    }
    v.error(model_error(model, message), args.attribute().span);
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

void client_name(Validation& v, const Model& model, Arguments& args, const char* attribute) {
  auto name = args.string(args.optional("name"));
  if (!name) return;
  if (name->empty()) {
    args.attribute_error("The `name` argument cannot be an empty string.");
    return;
  }
  bool valid = std::all_of(name->begin(), name->end(), [](char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
  if (!valid) {
    v.error(model_error(model, "The `name` property within the `" + std::string(attribute) +
                                   "` attribute only allows for the following characters: `_a-zA-Z0-9`."),
            args.attribute().span);
  }
}

std::optional<std::vector<std::size_t>> relation_field_list(Validation& v, const Model& model,
                                                            const Model& referenced, Arguments& args,
                                                            const Expression* list, bool references) {
  auto items = args.constant_list(list);
  if (!items) return std::nullopt;
  const Model& target = references ? referenced : model;
  std::vector<std::size_t> out;
  std::vector<std::string> unknown;
  std::vector<std::string> relations;
  for (const Expression* item : *items) {
    std::size_t index = item->value.find('.') == std::string::npos ? target.field_index(item->value) : npos;
    if (index == npos) {
      unknown.push_back(item->value);
    } else if (target.fields[index].type.kind == TypeKind::Model) {
      relations.push_back(item->value);
    } else if (std::find(out.begin(), out.end(), index) != out.end()) {
      v.error(model_error(model, "The unique index definition refers to the field " + item->value +
                                     " multiple times."),
              args.attribute().span);
      return std::nullopt;
    } else {
      out.push_back(index);
    }
  }
  if (!references) {
    if (!unknown.empty())
      v.error(
          "Error validating: The argument fields must refer only to existing fields. The following fields do "
          "not "
          "exist in this model: " +
              join(unknown),
          list->span);
    if (!relations.empty())
      v.error(
          "Error validating: The argument fields must refer only to scalar fields. But it is referencing the "
          "following relation fields: " +
              join(relations),
          list->span);
  } else {
    if (!unknown.empty())
      v.error(
          "Error validating: The argument `references` must refer only to existing fields in the related "
          "model `" +
              referenced.name + "`. The following fields do not exist in the related model: " + join(unknown),
          args.attribute().span);
    if (!relations.empty())
      v.error(
          "Error validating: The argument `references` must refer only to scalar fields in the related model "
          "`" +
              referenced.name + "`. But it is referencing the following relation fields: " + join(relations),
          args.attribute().span);
  }
  if (!unknown.empty() || !relations.empty()) return std::nullopt;
  return out;
}

void referential_action(Arguments& args, const Expression* e) {
  auto action = args.constant(e);
  if (!action) return;
  static const std::set<std::string> kActions = {"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault"};
  if (kActions.count(*action) == 0) args.attribute_error("Invalid referential action: `" + *action + "`");
}

void relation_field_attributes(Validation& v, const Model& model, const Field& field) {
  AttributeSet set(v, field.attributes);
  const Model& referenced = v.schema.models[field.type.target];
  if (const Attribute* a = set.single("relation")) {
    Arguments args(v, *a);
    if (const Expression* fields = args.optional("fields"))
      (void)relation_field_list(v, model, referenced, args, fields, false);
    if (const Expression* references = args.optional("references"))
      (void)relation_field_list(v, model, referenced, args, references, true);
    if (auto name = args.string(args.default_arg("name", false)); name && name->empty())
      args.attribute_error("A relation cannot have an empty name.");
    if (const Expression* e = args.optional("onDelete")) referential_action(args, e);
    if (const Expression* e = args.optional("onUpdate")) referential_action(args, e);
    map_argument(args);
  }
  if (const Attribute* a = set.single("id")) {
    Arguments args(v, *a);
    args.attribute_error(
        "The field `" + field.name +
        "` is a relation field and cannot be marked with `@id`. Only scalar fields can be declared "
        "as id.");
    args.discard();
  }
  if (const Attribute* a = set.single("ignore")) {
    Arguments args(v, *a);
  }
  if (const Attribute* a = set.single("default")) {
    Arguments args(v, *a);
    args.attribute_error("Cannot set a default value on a relation field.");
    args.discard();
  }
  if (const Attribute* a = set.single("map")) {
    Arguments args(v, *a);
    args.attribute_error("The attribute `@map` cannot be used on relation fields.");
    (void)args.default_arg("name");
    args.discard();
  }
  if (const Attribute* a = set.single("unique")) {
    Arguments args(v, *a);
    std::vector<std::string> suggested;
    if (const Attribute* relation = field.attribute("relation")) {
      if (const Expression* fields = relation->value_of("fields"); fields != nullptr && fields->is_array()) {
        for (const Expression& f : fields->items)
          suggested.push_back(f.value);
      }
    }
    std::string suggestion;
    if (suggested.size() == 1) suggestion = " Did you mean to put it on `" + suggested[0] + "`?";
    if (suggested.size() > 1) suggestion = " Did you mean to provide `@@unique([" + join(suggested) + "])`?";
    args.attribute_error(
        "The field `" + field.name +
        "` is a relation field and cannot be marked with `unique`. Only scalar fields can be made "
        "unique." +
        suggestion);
    args.discard();
  }
  set.finish();
}

void scalar_field_attributes(Validation& v, std::size_t model_index, std::size_t field_index) {
  const Model& model = v.schema.models[model_index];
  const Field& field = model.fields[field_index];
  ModelInfo& info = v.models[model_index];
  AttributeSet set(v, field.attributes);
  if (const Attribute* a = set.single("map")) {
    Arguments args(v, *a);
    (void)args.string(args.default_arg("name"));
  }
  if (const Attribute* a = set.single("ignore")) {
    Arguments args(v, *a);
    if (field.type.kind == TypeKind::Unsupported)
      args.attribute_error(
          "Fields of type `Unsupported` cannot take an `@ignore` attribute. They are already treated as "
          "ignored by "
          "the client due to their type.");
  }
  if (const Attribute* a = set.single("relation")) {
    Arguments args(v, *a);
    args.attribute_error("Invalid field type, not a relation.");
    args.discard();
  }
  if (const Attribute* a = set.single("id")) {
    Arguments args(v, *a);
    if (field.arity() != Arity::Required)
      args.attribute_error("Fields that are marked as id must be required.");
    if (!info.id_fields.empty()) {
      v.error(
          model_error(model, "At most one field must be marked as the id field with the `@id` attribute."),
          model.span);
    } else {
      info.id_fields = {field_index};
      info.id_attribute = a;
    }
    map_argument(args);
    (void)args.integer(args.optional("length"));
    sort_argument(args);
    (void)args.boolean(args.optional("clustered"));
  }
  if (const Attribute* a = set.single("updatedAt")) {
    Arguments args(v, *a);
    if (field.type.kind != TypeKind::Scalar || field.type.scalar != ScalarType::DateTime)
      args.attribute_error("Fields that are marked with @updatedAt must be of type DateTime.");
    if (field.is_list()) args.attribute_error("Fields that are marked with @updatedAt cannot be lists.");
  }
  if (const Attribute* a = set.single("default")) {
    Arguments args(v, *a);
    check_field_default(v, model, field, args);
  }
  if (field.type.kind == TypeKind::Scalar) {
    if (const Attribute* a = set.datasource_scoped()) check_native_type(v, model, field, *a);
  }
  if (const Attribute* a = set.single("unique")) {
    Arguments args(v, *a);
    map_argument(args);
    (void)args.integer(args.optional("length"));
    sort_argument(args);
    (void)args.boolean(args.optional("clustered"));
    info.indexes.push_back({IndexInfo::Type::Unique, {field_index}, a, true});
  }
  set.finish();
}

void model_attributes(Validation& v, std::size_t model_index) {
  const Model& model = v.schema.models[model_index];
  ModelInfo& info = v.models[model_index];
  AttributeSet set(v, model.attributes);
  if (const Attribute* a = set.single("ignore")) {
    Arguments args(v, *a);
    for (const Field& field : model.fields) {
      if (field.type.kind != TypeKind::Model && field.has_attribute("ignore")) {
        v.error(
            "Error parsing attribute \"@ignore\": Fields on an already ignored Model do not need an "
            "`@ignore` "
            "annotation.",
            field.span);
      }
    }
  }
  if (const Attribute* a = set.single("id")) {
    Arguments args(v, *a);
    auto fields = index_fields(v, model, args, args.default_arg("fields"), "multi field id");
    if (!info.id_fields.empty()) {
      v.error(model_error(model,
                          "Each model must have at most one id criteria. You can't have `@id` and `@@id` at "
                          "the same time."),
              model.span);
    } else if (fields) {
      info.id_fields = *fields;
      info.id_attribute = a;
      info.compound_id = true;
    }
    client_name(v, model, args, "@@id");
    map_argument(args);
    (void)args.boolean(args.optional("clustered"));
  }
  if (const Attribute* a = set.single("map")) {
    Arguments args(v, *a);
    (void)args.string(args.default_arg("name"));
  }
  if (const Attribute* a = set.single("schema")) {
    Arguments args(v, *a);
    (void)args.string(args.default_arg("name"));
  }
  for (const Attribute* a : set.repeated("index")) {
    Arguments args(v, *a);
    auto fields = index_fields(v, model, args, args.default_arg("fields"), "index");
    auto name = args.string(args.optional("name"));
    if (name && name->empty()) args.attribute_error("The `name` argument cannot be an empty string.");
    auto map = args.string(args.optional("map"));
    if (map && map->empty()) args.attribute_error("The `map` argument cannot be an empty string.");
    if (name && map)
      args.attribute_error(
          "The `@@index` attribute accepts the `name` argument as an alias for the `map` argument "
          "for legacy reasons. It does not accept both though. Please use the `map` argument to "
          "specify the database name of the index.");
    if (auto type = args.constant(args.optional("type"))) {
      static const std::set<std::string> kTypes = {"BTree", "Hash", "Gist", "Gin", "SpGist", "Brin"};
      if (kTypes.count(*type) == 0) args.attribute_error("Unknown index type: " + *type + ".");
    }
    (void)args.boolean(args.optional("clustered"));
    if (fields) info.indexes.push_back({IndexInfo::Type::Normal, *fields, a, false});
  }
  for (const Attribute* a : set.repeated("unique")) {
    Arguments args(v, *a);
    auto fields = index_fields(v, model, args, args.default_arg("fields"), "unique index");
    client_name(v, model, args, "@@unique");
    map_argument(args);
    (void)args.boolean(args.optional("clustered"));
    if (fields) info.indexes.push_back({IndexInfo::Type::Unique, *fields, a, false});
  }
  for (const Attribute* a : set.repeated("fulltext")) {
    Arguments args(v, *a);
    auto fields = index_fields(v, model, args, args.default_arg("fields"), "index");
    map_argument(args);
    if (fields) info.indexes.push_back({IndexInfo::Type::Fulltext, *fields, a, false});
  }
  if (info.compound_id && info.id_attribute != nullptr) {
    for (std::size_t f : info.id_fields) {
      if (model.fields[f].arity() == Arity::Optional) {
        v.error(model_error(model, "The id definition refers to the optional fields " + model.fields[f].name +
                                       ". ID definitions must reference only required fields."),
                info.id_attribute->span);
      }
    }
  }
  set.finish();
}

void enum_attributes(Validation& v, const Enum& e) {
  for (const EnumValue& value : e.values) {
    AttributeSet set(v, value.attributes);
    if (const Attribute* a = set.single("map")) {
      Arguments args(v, *a);
      (void)args.string(args.default_arg("name"));
    }
    set.finish();
  }
  AttributeSet set(v, e.attributes);
  if (const Attribute* a = set.single("map")) {
    Arguments args(v, *a);
    (void)args.string(args.default_arg("name"));
  }
  if (const Attribute* a = set.single("schema")) {
    Arguments args(v, *a);
    (void)args.string(args.default_arg("name"));
  }
  set.finish();
}

}  // namespace

void check_attributes(Validation& v) {
  Schema& schema = v.schema;
  v.models.assign(schema.models.size(), ModelInfo{});
  for (std::size_t m = 0; m < schema.models.size(); ++m) {
    for (const Field& field : schema.models[m].fields) {
      if (field.type.kind == TypeKind::Model) relation_field_attributes(v, schema.models[m], field);
    }
  }
  for (const TopRef& top : schema.order) {
    if (top.kind == TopKind::Model) {
      const Model& model = schema.models[top.index];
      for (std::size_t f = 0; f < model.fields.size(); ++f) {
        TypeKind kind = model.fields[f].type.kind;
        if (kind != TypeKind::Model && kind != TypeKind::Unresolved) scalar_field_attributes(v, top.index, f);
      }
      model_attributes(v, top.index);
    } else if (top.kind == TopKind::Enum) {
      enum_attributes(v, schema.enums[top.index]);
    }
  }
}

}  // namespace soulstone::psl::detail
