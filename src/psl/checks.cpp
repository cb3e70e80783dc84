// Rules over the whole schema, run once every declaration is valid on its
// own: unique criteria, unambiguous relations, supported features.

#include <algorithm>
#include <string>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  // `a`, `b` and `c`
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += "`" + names[i] + "`";
  }
  return out;
}

std::optional<std::string> relation_name(const Field& field) {
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return std::nullopt;
  const Expression* name = relation->value_of("name", 0);
  if (name == nullptr || !name->is_string()) return std::nullopt;
  return name->value;
}

// Prisma stops every further check at the first ambiguous relation.
bool ambiguous(Validation& v, const Model& model, const Field& field) {
  std::size_t target = field.type.target;
  const Model& other = v.schema.models[target];
  bool self = &other == &model;
  auto name = relation_name(field);
  std::vector<std::string> same;
  for (const Field& candidate : model.fields) {
    if (candidate.type.kind != TypeKind::Model || candidate.type.target != target) continue;
    if (relation_name(candidate) != name) continue;
    same.push_back(candidate.name);
  }
  if (!self && same.size() > 1) {
    std::string second = same[0] == field.name ? same[1] : same[0];
    v.error(model_error(model, "Ambiguous relation detected. The fields `" + field.name + "` and `" + second +
                                   "` in model `" + model.name + "` both refer to `" + other.name +
                                   "`. Please provide different relation names for them by adding "
                                   "`@relation(<name>)."),
            field.span);
    return true;
  }
  if (self && same.size() > 2) {
    if (!name) {
      v.error(
          model_error(model, "Unnamed self relation detected. The fields " + quoted_list(same) +
                                 " in model `" + model.name +
                                 "` have no relation name. Please provide a relation name for one of them by "
                                 "adding `@relation(<name>)."),
          field.span);
    } else {
      v.error(model_error(model,
                          "Wrongly named self relation detected. The fields " + quoted_list(same) +
                              " in model `" + model.name +
                              "` have the same relation name. At most two relation fields can belong to the "
                              "same relation and therefore have the same name. Please assign a different "
                              "relation name to one of them."),
              field.span);
    }
    return true;
  }
  return false;
}

// PostgreSQL has no prefix indexes: `length:` (MySQL's) is refused on every
// index and key, in Prisma's order: the primary key first, then the indexes.
void length_arguments(Validation& v, const Model& model) {
  auto uses_length = [](const Attribute& attribute) {
    if (attribute.argument("length") != nullptr) return true;
    const Expression* fields = attribute.value_of("fields", 0);
    if (!attribute.block || fields == nullptr) return false;
    for (const Expression& item : fields->items) {
      if (item.is_function() && item.argument("length") != nullptr) return true;
    }
    return false;
  };
  auto report = [&](const Attribute& attribute) {
    v.error("Error parsing attribute \"" + std::string(attribute.block ? "@@" : "@") + attribute.name +
                "\": The length argument is not supported in an index definition with the current connector",
            attribute.span);
  };
  const ModelInfo& info = v.models[static_cast<std::size_t>(&model - v.schema.models.data())];
  if (info.id_attribute != nullptr && uses_length(*info.id_attribute)) report(*info.id_attribute);
  for (const IndexInfo& index : info.indexes) {
    if (uses_length(*index.attribute)) report(*index.attribute);
  }
}

// Whether the model has an id or unique index of required (and supported)
// fields only.
bool has_strict_unique_criteria(const Validation& v, std::size_t model) {
  const Model& m = v.schema.models[model];
  const ModelInfo& info = v.models[model];
  auto strict = [&](const std::vector<std::size_t>& fields) {
    return !fields.empty() && std::all_of(fields.begin(), fields.end(), [&](std::size_t f) {
      return m.fields[f].arity() == Arity::Required && m.fields[f].type.kind != TypeKind::Unsupported;
    });
  };
  if (strict(info.id_fields)) return true;
  return std::any_of(info.indexes.begin(), info.indexes.end(), [&](const IndexInfo& index) {
    return index.type == IndexInfo::Type::Unique && strict(index.fields);
  });
}

}  // namespace

namespace {

bool contains_all(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
  return std::all_of(b.begin(), b.end(),
                     [&](std::size_t f) { return std::find(a.begin(), a.end(), f) != a.end(); });
}

}  // namespace

// Compares as sets in place: it runs for every relation, and criteria have
// a few fields each.
bool is_unique_criterion(const Validation& v, std::size_t model, const std::vector<std::size_t>& fields) {
  const ModelInfo& info = v.models[model];
  auto same = [&](const std::vector<std::size_t>& criterion) {
    return !criterion.empty() && contains_all(criterion, fields) && contains_all(fields, criterion);
  };
  if (same(info.id_fields)) return true;
  return std::any_of(info.indexes.begin(), info.indexes.end(), [&](const IndexInfo& index) {
    return index.type == IndexInfo::Type::Unique && same(index.fields);
  });
}

void check_schema(Validation& v) {
  Schema& schema = v.schema;
  for (const Model& type : schema.composite_types) {
    v.error("Error validating: Composite types are not supported on Postgres.", type.span);
  }
  if (!v.has_preview_feature("views")) {
    for (const Model& model : schema.models) {
      if (model.is_view())
        v.error("Error validating: View definitions are only available with the `views` preview feature.",
                model.span);
    }
  }
  for (const Model& model : schema.models) {
    for (const Field& field : model.fields) {
      const Attribute* def = field.type.kind == TypeKind::Model ? nullptr : field.attribute("default");
      const Expression* value = def == nullptr ? nullptr : def->value_of("value", 0);
      if (value != nullptr && value->is_function() && !known_default_function(value->value)) {
        v.error("Unknown function in @default(): `" + value->value +
                    "` is not known. You can read about the available functions here: "
                    "https://pris.ly/d/attribute-functions",
                value->span);
      }
    }
  }
  for (std::size_t m = 0; m < schema.models.size(); ++m) {
    const Model& model = schema.models[m];
    length_arguments(v, model);
    if (!model.is_view() && !model.ignored() && !has_strict_unique_criteria(v, m)) {
      v.error(model_error(model,
                          "Each model must have at least one unique criteria that has only required fields. "
                          "Either mark a single field with `@id`, `@unique` or add a multi field criterion "
                          "with `@@id([])` or `@@unique([])` to the model."),
              model.span);
    }
    for (const Field& field : model.fields) {
      if (field.type.kind == TypeKind::Model && ambiguous(v, model, field)) return;
    }
  }
  check_relations(v);
}

}  // namespace soulstone::psl::detail
