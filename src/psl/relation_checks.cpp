// Rules over each relation: both sides present, fields and references on
// the right side, of matching count and types, referencing a unique
// criterion; many-to-many relations between models with a single-field id.

#include <algorithm>
#include <string>

#include "psl/validation.hpp"

namespace soulstone::psl::detail {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool has_argument(const Field& field, std::string_view argument) {
  const Attribute* relation = field.attribute("relation");
  return relation != nullptr && relation->argument(argument) != nullptr;
}

const Span& relation_span(const Field& field) {
  const Attribute* relation = field.attribute("relation");
  return relation != nullptr ? relation->span : field.span;
}

std::string relation_error(std::string_view message) {
  return "Error parsing attribute \"@relation\": " + std::string(message);
}

bool same_type(const Field& a, const Field& b) {
  if (a.type.kind != b.type.kind) return false;
  if (a.type.kind == TypeKind::Scalar) return a.type.scalar == b.type.scalar;
  if (a.type.kind == TypeKind::Enum) return a.type.target == b.type.target;
  return a.type.name == b.type.name;
}

void missing_opposite(Validation& v, const Model& model, const Field& field, const Model& other) {
  v.error("Error validating field `" + field.name + "` in model `" + model.name + "`: The relation field `" +
              field.name + "` on model `" + model.name +
              "` is missing an opposite relation field on the model `" + other.name +
              "`. Either run `prisma format` or add it manually.",
          field.span);
}

class RelationCheck {
 public:
  RelationCheck(Validation& v, const Relation& relation) : v_(v), r_(relation) {}

  void run() {
    if (r_.kind == RelationKind::ManyToMany) return many_to_many();
    inline_relation();
  }

 private:
  const Model& model(std::size_t index) const { return v_.schema.models[index]; }

  void many_to_many() {
    const Model& a = model(r_.from_model);
    const Model& b = model(r_.to_model);
    singular_id(a, a.fields[r_.from_field], r_.to_model);
    singular_id(b, b.fields[r_.to_field], r_.from_model);
  }

  void singular_id(const Model& model, const Field& field, std::size_t referenced) {
    const ModelInfo& info = v_.models[referenced];
    if (info.id_fields.size() == 1 && !info.compound_id) return;
    const Model& target = v_.schema.models[referenced];
    v_.error(
        "Error validating field `" + field.name + "` in model `" + model.name + "`: The relation field `" +
            field.name + "` on model `" + model.name + "` references `" + target.name +
            "` which does not have an `@id` field. Models without `@id` cannot be part of a many to many "
            "relation. Use an explicit intermediate Model to represent this relationship.",
        field.span);
  }

  void inline_relation() {
    const Model& a_model = model(r_.from_model);
    const Model& b_model = model(r_.to_model);
    const Field* a = r_.from_field == npos ? nullptr : &a_model.fields[r_.from_field];
    const Field* b = r_.to_field == npos ? nullptr : &b_model.fields[r_.to_field];
    std::optional<std::vector<std::size_t>> fields;
    std::optional<std::vector<std::size_t>> references;
    if (a != nullptr) {
      fields = relation_fields_of(*a, "fields", a_model);
      references = relation_fields_of(*a, "references", b_model);
      references_unique(*a, b_model, references);
      if (fields && references && fields->size() != references->size()) {
        v_.error("Error validating: You must specify the same number of fields in `fields` and `references`.",
                 relation_span(*a));
      }
      field_arity(*a, a_model, fields);
      field_types(*a, a_model, b_model, fields, references);
    }
    if (r_.kind == RelationKind::OneToOne) {
      one_to_one(a_model, a, b_model, b, fields);
    } else {
      one_to_many(a_model, a, b_model, b);
    }
  }

  void references_unique(const Field& a, const Model& b_model,
                         const std::optional<std::vector<std::size_t>>& refs) {
    if (!refs || refs->empty()) return;
    if (is_unique_criterion(v_, r_.to_model, *refs)) return;
    std::string hint;
    if (refs->size() == 1) {
      hint = "Consider adding an `@unique` attribute to the field `" + b_model.fields[refs->front()].name +
             "` in the model `" + b_model.name + "`.";
    } else {
      std::vector<std::string> names;
      for (std::size_t f : *refs)
        names.push_back(b_model.fields[f].name);
      hint = "Consider adding an `@@unique([" + join(names) + "])` attribute to the model `" + b_model.name +
             "`.";
    }
    v_.error(relation_error(
                 "The argument `references` must refer to a unique criterion in the related model. " + hint),
             relation_span(a));
  }

  void field_arity(const Field& a, const Model& a_model,
                   const std::optional<std::vector<std::size_t>>& fields) {
    if (!fields || a.arity() != Arity::Required) return;
    bool optional = false;
    std::vector<std::string> names;
    for (std::size_t f : *fields) {
      names.push_back(a_model.fields[f].name);
      if (a_model.fields[f].is_optional()) optional = true;
    }
    if (!optional) return;
    v_.error(
        "Error validating: The relation field `" + a.name + "` uses the scalar fields " + join(names) +
            ". At least one of those fields is optional. Hence the relation field must be optional as well.",
        a.span);
  }

  void field_types(const Field& a, const Model& a_model, const Model& b_model,
                   const std::optional<std::vector<std::size_t>>& fields,
                   const std::optional<std::vector<std::size_t>>& refs) {
    if (!fields || !refs) return;
    for (std::size_t i = 0; i < fields->size() && i < refs->size(); ++i) {
      const Field& from = a_model.fields[(*fields)[i]];
      const Field& to = b_model.fields[(*refs)[i]];
      if (same_type(from, to)) continue;
      v_.error(relation_error("The type of the field `" + from.name + "` in the model `" + a_model.name +
                              "` is not matching the type of the referenced field `" + to.name +
                              "` in model `" + b_model.name + "`."),
               relation_span(a));
    }
  }

  void one_to_many(const Model& a_model, const Field* a, const Model& b_model, const Field* b) {
    if (a == nullptr) return missing_opposite(v_, b_model, *b, a_model);
    if (b == nullptr) return missing_opposite(v_, a_model, *a, b_model);
    if (!has_argument(*a, "fields")) {
      v_.error(relation_error("The relation field `" + a->name + "` on Model `" + a_model.name +
                              "` must specify the `fields` argument in the @relation attribute. You can run "
                              "`prisma format` to fix this automatically."),
               relation_span(*a));
    }
    if (!has_argument(*a, "references")) {
      v_.error(relation_error("The relation field `" + a->name + "` on Model `" + a_model.name +
                              "` must specify the `references` argument in the @relation attribute."),
               relation_span(*a));
    }
    if (has_argument(*b, "fields") || has_argument(*b, "references")) {
      v_.error(relation_error("The relation field `" + b->name + "` on Model `" + b_model.name +
                              "` must not specify the `fields` or `references` argument in the @relation "
                              "attribute. You must only specify it on the opposite field `" +
                              a->name + "` on model `" + a_model.name + "`."),
               relation_span(*b));
    }
  }

  void one_to_one(const Model& a_model, const Field* a, const Model& b_model, const Field* b,
                  const std::optional<std::vector<std::size_t>>& fields) {
    if (a == nullptr) return;
    if (b == nullptr) return missing_opposite(v_, a_model, *a, b_model);
    auto pair = [&](const Field& x, const Model& xm, const Field& y, const Model& ym) {
      return "The relation fields `" + x.name + "` on Model `" + xm.name + "` and `" + y.name +
             "` on Model `" + ym.name + "`";
    };
    for (std::string_view argument : {"fields", "references"}) {
      if (!has_argument(*a, argument) && !has_argument(*b, argument)) {
        std::string tail =
            " do not provide the `" + std::string(argument) +
            "` argument in the @relation attribute. You have to provide it on one of the two fields.";
        v_.error(relation_error(pair(*a, a_model, *b, b_model) + tail), relation_span(*a));
        v_.error(relation_error(pair(*b, b_model, *a, a_model) + tail), relation_span(*b));
      }
    }
    for (std::string_view argument : {"references", "fields"}) {
      if (has_argument(*a, argument) && has_argument(*b, argument)) {
        std::string tail =
            " both provide the `" + std::string(argument) +
            "` argument in the @relation attribute. You have to provide it only on one of the two "
            "fields.";
        v_.error(relation_error(pair(*a, a_model, *b, b_model) + tail), relation_span(*a));
        v_.error(relation_error(pair(*b, b_model, *a, a_model) + tail), relation_span(*b));
      }
    }
    if (fields && !fields->empty() && !has_argument(*b, "fields")) {
      if (!is_unique_criterion(v_, r_.from_model, *fields)) {
        std::string hint;
        if (fields->size() == 1) {
          hint = "Either add an `@unique` attribute to the field `" + a_model.fields[fields->front()].name +
                 "`, or change the relation to one-to-many.";
        } else {
          std::vector<std::string> names;
          for (std::size_t f : *fields)
            names.push_back(a_model.fields[f].name);
          hint = "Either add an `@@unique([" + join(names) + "])` attribute to the model `" + a_model.name +
                 "`, or change the relation to one-to-many.";
        }
        v_.error(relation_error("A one-to-one relation must use unique fields on the defining side. " + hint),
                 relation_span(*a));
      }
    }
  }

  Validation& v_;
  const Relation& r_;
};

}  // namespace

void check_relations(Validation& v) {
  for (const Relation& relation : v.schema.relations)
    RelationCheck(v, relation).run();
}

}  // namespace soulstone::psl::detail
