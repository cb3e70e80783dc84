// Pairs relation fields into relations with Prisma's inference: a relation
// field's opposite is the first relation field of the other model that
// points back with the same relation name (or none). Each pair becomes one
// relation, created when its "A" side is visited, so relations come in
// the order of their A fields.

#include <optional>
#include <string>
#include <utility>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

std::optional<std::string> relation_name(const Field& field) {
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return std::nullopt;
  const Expression* name = relation->value_of("name", 0);
  if (name == nullptr || !name->is_string()) return std::nullopt;
  return name->value;
}

std::optional<ReferentialAction> action_named(std::string_view name) {
  if (name == "Cascade") return ReferentialAction::Cascade;
  if (name == "Restrict") return ReferentialAction::Restrict;
  if (name == "NoAction") return ReferentialAction::NoAction;
  if (name == "SetNull") return ReferentialAction::SetNull;
  if (name == "SetDefault") return ReferentialAction::SetDefault;
  return std::nullopt;
}

std::optional<ReferentialAction> action_argument(const Field& field, std::string_view argument) {
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return std::nullopt;
  const Expression* value = relation->value_of(argument);
  if (value == nullptr || !value->is_constant()) return std::nullopt;
  return action_named(value->value);
}

bool has_argument(const Field& field, std::string_view argument) {
  const Attribute* relation = field.attribute("relation");
  return relation != nullptr && relation->argument(argument) != nullptr;
}

}  // namespace

std::optional<std::vector<std::size_t>> relation_fields_of(const Field& field, std::string_view argument,
                                                           const Model& model) {
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return std::nullopt;
  const Expression* list = relation->value_of(argument);
  if (list == nullptr) return std::nullopt;
  std::vector<std::size_t> out;
  auto add = [&](const Expression& item) {
    if (!item.is_constant()) return;
    if (std::size_t index = model.field_index(item.value); index != npos) out.push_back(index);
  };
  if (list->is_array()) {
    for (const Expression& item : list->items)
      add(item);
  } else {
    add(*list);
  }
  return out;
}

void infer_relations(Validation& v) {
  Schema& schema = v.schema;
  schema.relations.clear();
  for (std::size_t mi = 0; mi < schema.models.size(); ++mi) {
    for (std::size_t fi = 0; fi < schema.models[mi].fields.size(); ++fi) {
      const Model& model = schema.models[mi];
      const Field& field = model.fields[fi];
      if (field.type.kind != TypeKind::Model) continue;
      std::optional<std::string> name = relation_name(field);
      std::size_t target = field.type.target;
      const Model& other = schema.models[target];
      bool self = target == mi;

      std::size_t back = npos;
      for (std::size_t ci = 0; ci < other.fields.size(); ++ci) {
        const Field& candidate = other.fields[ci];
        if (candidate.type.kind != TypeKind::Model || candidate.type.target != mi) continue;
        if (self && ci == fi) continue;
        if (relation_name(candidate) != name) continue;
        back = ci;
        break;
      }
      const Field* opposite = back == npos ? nullptr : &other.fields[back];
      auto model_field = std::pair(model.name, field.name);
      auto other_field = opposite != nullptr ? std::pair(other.name, opposite->name) : model_field;

      Relation relation;
      // (A model, A field, B model, B field); fields may be npos.
      std::size_t a_model = mi, a_field = fi, b_model = target, b_field = back;
      if (field.is_list() && opposite != nullptr && opposite->is_list()) {
        if (model.name > other.name) continue;
        if (self && field.name > opposite->name) continue;
        relation.kind = RelationKind::ManyToMany;
      } else if (field.arity() == Arity::Required && opposite != nullptr && opposite->is_optional()) {
        relation.kind = RelationKind::OneToOne;
      } else if (field.arity() == Arity::Required && opposite != nullptr &&
                 opposite->arity() == Arity::Required) {
        if (model_field > other_field) continue;
        relation.kind = RelationKind::OneToOne;
      } else if (field.is_optional() && opposite != nullptr && opposite->arity() == Arity::Required) {
        continue;
      } else if (field.is_optional() && opposite != nullptr && opposite->is_optional()) {
        if (!has_argument(field, "fields")) {
          if (has_argument(*opposite, "fields")) continue;
          if (model_field > other_field) continue;
        }
        relation.kind = RelationKind::OneToOne;
      } else if (field.is_list() && opposite != nullptr) {
        continue;  // the other side creates it
      } else if (field.is_list()) {
        relation.kind = RelationKind::OneToMany;  // back side only
        a_model = target;
        a_field = npos;
        b_model = mi;
        b_field = fi;
      } else if (opposite != nullptr) {
        relation.kind = RelationKind::OneToMany;
      } else {
        relation.kind = RelationKind::OneToMany;
        // One side only: a one-to-one when its fields are exactly a unique index.
        if (auto fields = relation_fields_of(field, "fields", model)) {
          for (const IndexInfo& index : v.models.empty() ? std::vector<IndexInfo>{} : v.models[mi].indexes) {
            if (index.type == IndexInfo::Type::Unique && index.fields == *fields)
              relation.kind = RelationKind::OneToOne;
          }
        }
      }

      relation.explicit_name = name.has_value();
      if (name) {
        relation.name = *name;
      } else {
        const std::string& a = schema.models[a_model].name;
        const std::string& b = schema.models[b_model].name;
        relation.name = a < b ? a + "To" + b : b + "To" + a;
      }
      relation.from_model = a_model;
      relation.from_field = a_field;
      relation.to_model = b_model;
      relation.to_field = b_field;

      std::size_t index = schema.relations.size();
      if (a_field != npos) schema.models[a_model].fields[a_field].relation = index;
      if (b_field != npos) schema.models[b_model].fields[b_field].relation = index;

      if (relation.kind == RelationKind::ManyToMany) {
        relation.effective_on_delete = ReferentialAction::Cascade;
        relation.effective_on_update = ReferentialAction::Cascade;
      } else if (a_field != npos) {
        const Model& from_model = schema.models[a_model];
        const Field& from = from_model.fields[a_field];
        relation.fields = relation_fields_of(from, "fields", from_model).value_or(std::vector<std::size_t>{});
        relation.references = relation_fields_of(from, "references", schema.models[b_model])
                                  .value_or(std::vector<std::size_t>{});
        relation.on_delete = action_argument(from, "onDelete");
        relation.on_update = action_argument(from, "onUpdate");
        if (const Attribute* attribute = from.attribute("relation")) {
          const Expression* map = attribute->value_of("map");
          if (map != nullptr && map->is_string()) relation.map = map->value;
        }
        bool required = false;
        for (std::size_t f : relation.fields) {
          if (from_model.fields[f].arity() == Arity::Required) required = true;
        }
        relation.effective_on_delete =
            relation.on_delete.value_or(required ? ReferentialAction::Restrict : ReferentialAction::SetNull);
        relation.effective_on_update = relation.on_update.value_or(ReferentialAction::Cascade);
      }
      schema.relations.push_back(std::move(relation));
    }
  }
}

}  // namespace soulstone::psl::detail
