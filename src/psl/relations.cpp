// Pairs relation fields into relations, as Prisma's relation inference does:
// two relation fields belong together when each points at the other's model
// and both carry the same relation name (or none).

#include <optional>
#include <string>
#include <utility>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

std::string relation_name(const Field& field) {
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return {};
  const Expression* name = relation->value_of("name", 0);
  return name != nullptr && name->is_string() ? name->value : std::string();
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

// Indexes of the fields named in @relation(<argument>: [...]) of `field`,
// looked up in `model`; names that do not exist are left out.
std::vector<std::size_t> field_list(const Field& field, std::string_view argument, const Model& model) {
  std::vector<std::size_t> out;
  const Attribute* relation = field.attribute("relation");
  if (relation == nullptr) return out;
  const Expression* list = relation->value_of(argument);
  if (list == nullptr) return out;
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

bool has_fields_argument(const Field& field) {
  const Attribute* relation = field.attribute("relation");
  return relation != nullptr && relation->argument("fields") != nullptr;
}

}  // namespace

void infer_relations(Validation& v) {
  Schema& schema = v.schema;
  for (std::size_t mi = 0; mi < schema.models.size(); ++mi) {
    for (std::size_t fi = 0; fi < schema.models[mi].fields.size(); ++fi) {
      Field& field = schema.models[mi].fields[fi];
      if (field.type.kind != TypeKind::Model || field.relation != npos) continue;
      std::string name = relation_name(field);
      std::size_t target = field.type.target;
      std::size_t back = npos;
      Model& other = schema.models[target];
      for (std::size_t ci = 0; ci < other.fields.size(); ++ci) {
        const Field& candidate = other.fields[ci];
        if (target == mi && ci == fi) continue;
        if (candidate.type.kind != TypeKind::Model || candidate.type.target != mi) continue;
        if (candidate.relation != npos || relation_name(candidate) != name) continue;
        back = ci;
        break;
      }

      Relation relation;
      relation.explicit_name = !name.empty();
      if (name.empty()) {
        const std::string& a = schema.models[mi].name;
        const std::string& b = other.name;
        name = a < b ? a + "To" + b : b + "To" + a;
      }
      relation.name = std::move(name);
      // `from` is the side with the foreign key (fields/references), or A
      // of an implicit many-to-many table.
      std::pair<std::size_t, std::size_t> self{mi, fi};
      std::pair<std::size_t, std::size_t> opposite{target, back};
      bool swap = false;
      if (back == npos) {
        relation.kind = field.is_list() ? RelationKind::OneToMany : RelationKind::OneToOne;
        swap = field.is_list();
      } else {
        const Field& other_field = other.fields[back];
        if (field.is_list() && other_field.is_list()) {
          relation.kind = RelationKind::ManyToMany;
          const Model& model = schema.models[mi];
          swap = std::pair(other.name, other_field.name) < std::pair(model.name, field.name);
        } else if (field.is_list() || other_field.is_list()) {
          relation.kind = RelationKind::OneToMany;
          swap = field.is_list();
        } else {
          relation.kind = RelationKind::OneToOne;
          swap = !has_fields_argument(field) && has_fields_argument(other_field);
        }
      }
      if (swap) std::swap(self, opposite);
      relation.from_model = self.first;
      relation.from_field = self.second;
      relation.to_model = opposite.first;
      relation.to_field = opposite.second;

      std::size_t index = schema.relations.size();
      field.relation = index;
      if (back != npos) other.fields[back].relation = index;

      if (relation.kind != RelationKind::ManyToMany && relation.from_field != npos) {
        const Model& from_model = schema.models[relation.from_model];
        const Field& from = from_model.fields[relation.from_field];
        relation.fields = field_list(from, "fields", from_model);
        relation.references = field_list(from, "references", schema.models[relation.to_model]);
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
      } else if (relation.kind == RelationKind::ManyToMany) {
        relation.effective_on_delete = ReferentialAction::Cascade;
        relation.effective_on_update = ReferentialAction::Cascade;
      }
      schema.relations.push_back(std::move(relation));
    }
  }
}

}  // namespace soulstone::psl::detail
