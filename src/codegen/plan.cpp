// From a validated schema to the plan of its client.

#include "codegen/plan.hpp"

#include <map>
#include <set>

#include "base/error.hpp"
#include "model/from_schema.hpp"
#include "model/names.hpp"
#include "sql/render.hpp"

namespace soulstone::codegen {

namespace {

constexpr std::size_t kSkipped = static_cast<std::size_t>(-1);

std::string value_type_of(psl::ScalarType scalar) {
  switch (scalar) {
    case psl::ScalarType::String:
      return "std::string";
    case psl::ScalarType::Boolean:
      return "bool";
    case psl::ScalarType::Int:
      return "std::int32_t";
    case psl::ScalarType::BigInt:
      return "std::int64_t";
    case psl::ScalarType::Float:
      return "double";
    case psl::ScalarType::Decimal:
      return "::soulstone::client::Decimal";
    case psl::ScalarType::DateTime:
      return "::soulstone::client::DateTime";
    case psl::ScalarType::Json:
      return "nlohmann::json";
    case psl::ScalarType::Bytes:
      return "::soulstone::client::Bytes";
  }
  return "std::string";
}

// The PostgreSQL type of a column of a view (views are not in the
// relational model), as Prisma maps the scalar and its @db.* attribute.
std::string view_sql_type_of(const psl::Field& field) {
  std::string native;
  if (const psl::Attribute* db = field.native_type()) native = std::string(db->base_name());
  static const std::map<std::string, std::string, std::less<>> kNative = {
      {"VarChar", "varchar"},
      {"Char", "bpchar"},
      {"Text", "text"},
      {"Uuid", "uuid"},
      {"Xml", "xml"},
      {"Inet", "inet"},
      {"Citext", "citext"},
      {"Bit", "bit"},
      {"VarBit", "varbit"},
      {"SmallInt", "int2"},
      {"Integer", "int4"},
      {"Oid", "oid"},
      {"BigInt", "int8"},
      {"Real", "float4"},
      {"DoublePrecision", "float8"},
      {"Decimal", "numeric"},
      {"Money", "money"},
      {"Boolean", "bool"},
      {"Date", "date"},
      {"Time", "time"},
      {"Timetz", "timetz"},
      {"Timestamp", "timestamp"},
      {"Timestamptz", "timestamptz"},
      {"Json", "json"},
      {"JsonB", "jsonb"},
      {"ByteA", "bytea"},
  };
  if (auto found = kNative.find(native); found != kNative.end()) return found->second;
  switch (field.type.scalar) {
    case psl::ScalarType::String:
      return "text";
    case psl::ScalarType::Boolean:
      return "bool";
    case psl::ScalarType::Int:
      return "int4";
    case psl::ScalarType::BigInt:
      return "int8";
    case psl::ScalarType::Float:
      return "float8";
    case psl::ScalarType::Decimal:
      return "numeric";
    case psl::ScalarType::DateTime:
      return "timestamp";
    case psl::ScalarType::Json:
      return "jsonb";
    case psl::ScalarType::Bytes:
      return "bytea";
  }
  return "text";
}

std::string qualified(const std::vector<psl::Attribute>& attributes, std::string_view name) {
  std::string out;
  if (const psl::Attribute* schema = psl::find_attribute(attributes, "schema")) {
    if (const psl::Expression* value = schema->value_of("map", 0); value != nullptr && value->is_string())
      out = sql_identifier(value->value) + ".";
  }
  return out + sql_identifier(name);
}

std::string filter_type_of(const FieldPlan& f) {
  const std::string nullable = f.optional ? "true" : "";
  const std::string ns = "::soulstone::client::";
  if (f.list) return ns + "ListFilter<" + f.value_type + ">";
  if (f.is_enum || f.scalar == psl::ScalarType::Boolean || f.scalar == psl::ScalarType::Bytes)
    return ns + "EqualityFilter<" + f.value_type + (f.optional ? ", true>" : ">");
  if (f.scalar == psl::ScalarType::String) return ns + "StringFilter<" + nullable + ">";
  if (f.scalar == psl::ScalarType::Json)
    return ns + "JsonFilter<nlohmann::json" + (f.optional ? ", true>" : ">");
  return ns + "Filter<" + f.value_type + (f.optional ? ", true>" : ">");
}

// The client-side default generators Prisma knows, as runtime calls.
std::string client_default_of(const psl::Expression& call) {
  const psl::Expression* arg = call.arguments.empty() ? nullptr : &call.arguments.front().value;
  std::string first = arg != nullptr ? arg->value : "";
  if (call.value == "uuid")
    return first == "7" ? "::soulstone::client::uuid_v7()" : "::soulstone::client::uuid_v4()";
  if (call.value == "cuid")
    return first == "2" ? "::soulstone::client::cuid2()" : "::soulstone::client::cuid()";
  if (call.value == "ulid") return "::soulstone::client::ulid()";
  if (call.value == "nanoid") return "::soulstone::client::nanoid(" + (first.empty() ? "" : first) + ")";
  return {};
}

void plan_default(const psl::Field& field, FieldPlan& out) {
  if (field.has_attribute("updatedAt")) {
    out.default_kind = DefaultKind::UpdatedAt;
    return;
  }
  const psl::Attribute* def = field.attribute("default");
  if (def == nullptr) return;
  out.default_kind = DefaultKind::Database;
  const psl::Expression* value = def->value_of("value", 0);
  if (value != nullptr && value->is_function()) {
    if (std::string call = client_default_of(*value); !call.empty()) {
      out.default_kind = DefaultKind::Client;
      out.client_default = call;
    }
  }
}

std::vector<std::string> names_in(const psl::Expression* list) {
  std::vector<std::string> out;
  if (list == nullptr) return out;
  for (const psl::Expression& item : list->items)
    out.push_back(item.value);
  return out;
}

class Planner {
 public:
  Planner(const psl::Schema& schema, Plan& plan)
      : schema_(schema), plan_(plan), relational_(model::from_schema(schema)) {}

  void run() {
    for (const psl::Enum& e : schema_.enums)
      plan_enum(e);
    model_index_.assign(schema_.models.size(), kSkipped);
    field_index_.resize(schema_.models.size());
    for (std::size_t i = 0; i < schema_.models.size(); ++i) {
      if (schema_.models[i].ignored()) continue;
      model_index_[i] = plan_.models.size();
      table_ = relational_.table(schema_.models[i].database_name());
      plan_.models.push_back(plan_model(schema_.models[i], field_index_[i]));
    }
    for (std::size_t i = 0; i < schema_.models.size(); ++i) {
      if (model_index_[i] != kSkipped) plan_relations(i);
    }
    check_names();
  }

 private:
  void plan_enum(const psl::Enum& e) {
    EnumPlan out;
    out.name = cpp_identifier(e.name);
    out.schema_name = e.name;
    out.documentation = e.documentation.value_or("");
    for (const psl::EnumValue& value : e.values)
      out.values.push_back({cpp_identifier(value.name), std::string(value.database_name())});
    enum_sql_.push_back(qualified(e.attributes, e.database_name()));
    plan_.enums.push_back(std::move(out));
  }

  ModelPlan plan_model(const psl::Model& model, std::vector<std::size_t>& field_index) {
    ModelPlan out;
    out.name = cpp_identifier(model.name);
    out.schema_name = model.name;
    out.accessor = cpp_identifier(lower_first(model.name));
    if (out.accessor == "transaction" || out.accessor == "session") out.accessor += '_';
    out.table = qualified(model.attributes, model.database_name());
    out.documentation = model.documentation.value_or("");
    out.read_only = model.is_view();
    field_index.assign(model.fields.size(), kSkipped);
    for (std::size_t i = 0; i < model.fields.size(); ++i) {
      const psl::Field& field = model.fields[i];
      bool scalar = field.type.kind == psl::TypeKind::Scalar || field.type.kind == psl::TypeKind::Enum;
      if (!scalar || field.has_attribute("ignore")) {
        // Columns the client cannot see: a required one without a default
        // makes every INSERT from the client fail, so the model gets none.
        bool column = field.type.kind == psl::TypeKind::Unsupported || scalar;
        if (column && !field.is_optional() && !field.is_list() && !field.has_attribute("default"))
          out.creatable = false;
        continue;
      }
      field_index[i] = out.fields.size();
      out.fields.push_back(plan_field(field));
    }
    plan_uniques(model, field_index, out);
    return out;
  }

  // The column's type as the relational model has it (the type Prisma's
  // migrations create), for casts of key arrays: "UUID", "VARCHAR(320)".
  std::string sql_type_of(const psl::Field& field) const {
    const model::Column* column = table_ != nullptr ? table_->column(field.database_name()) : nullptr;
    if (column == nullptr) return view_sql_type_of(field);
    model::Column element = *column;
    element.type.arity = model::Arity::Required;
    element.auto_increment = false;  // SERIAL is a column type, not a type to cast to
    return sql::render_column_type(element);
  }

  FieldPlan plan_field(const psl::Field& field) {
    FieldPlan f;
    f.member = cpp_identifier(field.name);
    f.column = sql_identifier(field.database_name());
    f.list = field.is_list();
    f.optional = field.is_optional();
    f.documentation = field.documentation.value_or("");
    if (field.type.kind == psl::TypeKind::Enum) {
      f.is_enum = true;
      // Qualified: a member may have the name of its type (`Role Role`).
      f.value_type = "::" + plan_.name_space + "::" + plan_.enums[field.type.target].name;
      f.sql_type = enum_sql_[field.type.target];
    } else {
      f.scalar = field.type.scalar;
      f.value_type = value_type_of(f.scalar);
      f.sql_type = sql_type_of(field);
      if (f.scalar == psl::ScalarType::Json) plan_.has_json = true;
    }
    f.filter_type = filter_type_of(f);
    plan_default(field, f);
    return f;
  }

  void add_unique(ModelPlan& out, const std::vector<std::size_t>& field_index, const psl::Model& model,
                  const std::vector<std::string>& fields, const std::string& name) {
    UniquePlan unique;
    std::vector<std::string> words;
    for (const std::string& field : fields) {
      std::size_t index = model.field_index(field);
      if (index == psl::npos || field_index[index] == kSkipped) return;  // not visible to the client
      unique.fields.push_back(field_index[index]);
      words.push_back(field);
    }
    for (const UniquePlan& existing : out.uniques) {
      if (existing.fields == unique.fields) return;
    }
    unique.name = out.name + "By" + pascal_join(name.empty() ? words : std::vector<std::string>{name});
    out.uniques.push_back(std::move(unique));
  }

  static std::string name_argument(const psl::Attribute& attribute) {
    const psl::Expression* name = attribute.value_of("name");
    return name != nullptr && name->is_string() ? name->value : "";
  }

  void plan_uniques(const psl::Model& model, const std::vector<std::size_t>& field_index, ModelPlan& out) {
    for (const psl::Field& field : model.fields) {
      if (field.has_attribute("id")) add_unique(out, field_index, model, {field.name}, "");
    }
    if (const psl::Attribute* id = model.attribute("id"))
      add_unique(out, field_index, model, names_in(id->value_of("fields", 0)), name_argument(*id));
    for (const psl::Field& field : model.fields) {
      if (field.has_attribute("unique")) add_unique(out, field_index, model, {field.name}, "");
    }
    for (const psl::Attribute* unique : model.attributes_named("unique"))
      add_unique(out, field_index, model, names_in(unique->value_of("fields", 0)), name_argument(*unique));
  }

  // Maps psl field indexes of model `m` to plan field indexes; false when
  // one of them is not visible to the client.
  bool map_fields(std::size_t m, const std::vector<std::size_t>& fields,
                  std::vector<std::size_t>& out) const {
    out.clear();
    for (std::size_t f : fields) {
      if (f >= field_index_[m].size() || field_index_[m][f] == kSkipped) return false;
      out.push_back(field_index_[m][f]);
    }
    return !out.empty();
  }

  void plan_relations(std::size_t m) {
    const psl::Model& model = schema_.models[m];
    ModelPlan& out = plan_.models[model_index_[m]];
    for (std::size_t i = 0; i < model.fields.size(); ++i) {
      const psl::Field& field = model.fields[i];
      if (!field.is_relation() || field.has_attribute("ignore")) continue;
      const psl::Relation* relation = schema_.relation_of(field);
      if (relation == nullptr || field.type.target >= schema_.models.size()) continue;
      std::size_t target = field.type.target;
      if (model_index_[target] == kSkipped) continue;
      RelationPlan r;
      r.member = cpp_identifier(field.name);
      r.field = field.name;
      r.target = model_index_[target];
      bool owner = relation->from_model == m && relation->from_field == i;
      bool ok = false;
      if (relation->is_implicit_many_to_many()) {
        const ModelPlan& other = plan_.models[r.target];
        if (out.uniques.empty() || other.uniques.empty()) continue;
        r.kind = RelationKind::ManyToMany;
        r.local = out.uniques.front().fields;
        r.remote = other.uniques.front().fields;
        std::string join = model::join_table_names(relation->name).table;
        if (relational_.table(join) == nullptr) continue;  // the model has no such table: nothing to read
        r.join_table = sql_identifier(join);
        r.join_local = sql_identifier(owner ? "A" : "B");
        r.join_remote = sql_identifier(owner ? "B" : "A");
        ok = r.local.size() == 1 && r.remote.size() == 1;
      } else if (owner) {
        r.kind = RelationKind::ToOneOwner;
        ok = map_fields(m, relation->fields, r.local) && map_fields(target, relation->references, r.remote);
      } else {
        r.kind = field.is_list() ? RelationKind::ToManyBack : RelationKind::ToOneBack;
        ok = map_fields(m, relation->references, r.local) && map_fields(target, relation->fields, r.remote);
      }
      if (ok) out.relations.push_back(std::move(r));
    }
  }

  void claim(std::map<std::string, std::string>& taken, const std::string& name, const std::string& owner) {
    auto [it, inserted] = taken.emplace(name, owner);
    if (inserted) return;
    throw Error(ErrorKind::Input,
                "the generated C++ name '" + name + "' is needed for both " + it->second + " and " + owner,
                "rename one of them in the schema (@map/@@map keep the database names)");
  }

  void check_names() {
    std::map<std::string, std::string> taken;
    for (const EnumPlan& e : plan_.enums)
      claim(taken, e.name, "enum " + e.schema_name);
    for (const ModelPlan& m : plan_.models) {
      std::string owner = "model " + m.schema_name;
      claim(taken, m.name, owner);
      for (const char* suffix :
           {"Where", "Create", "Update", "Include", "Field", "OrderBy", "Unique", "FindMany", "Repository"})
        claim(taken, m.type(suffix), owner);
      for (const UniquePlan& u : m.uniques)
        claim(taken, u.name, owner);
    }
    if (taken.count("Client") != 0) plan_.client_class = "DatabaseClient";
    claim(taken, plan_.client_class, "the client class");
  }

  const psl::Schema& schema_;
  Plan& plan_;
  model::Schema relational_;             // database names and types, as migrations create them
  const model::Table* table_ = nullptr;  // of the model being planned
  std::vector<std::string> enum_sql_;
  std::vector<std::size_t> model_index_;
  std::vector<std::vector<std::size_t>> field_index_;
};

}  // namespace

std::string FieldPlan::member_type() const {
  if (list) return "std::vector<" + value_type + ">";
  if (optional) return "std::optional<" + value_type + ">";
  return value_type;
}

Plan make_plan(const psl::Schema& schema, const std::string& name_space) {
  Plan plan;
  plan.name_space = name_space;
  Planner(schema, plan).run();
  return plan;
}

}  // namespace soulstone::codegen
