#include "model/from_schema.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "model/names.hpp"
#include "model/schema_values.hpp"
#include "psl/psl.hpp"

namespace soulstone::model {

namespace {

using psl::Expression;

bool has_preview_feature(const psl::Schema& schema, std::string_view feature) {
  for (const psl::ConfigBlock& generator : schema.generators) {
    const psl::ConfigProperty* features = generator.property("previewFeatures");
    if (features == nullptr) continue;
    for (const Expression& item : features->value.items)
      if (item.value == feature) return true;
  }
  return false;
}

ColumnType scalar_type(const psl::Field& field) {
  ColumnType type;
  type.arity = field.is_list() ? Arity::List : field.is_optional() ? Arity::Nullable : Arity::Required;
  switch (field.type.scalar) {
    case psl::ScalarType::String:
      type.family = Family::String, type.native = NativeType::Text;
      break;
    case psl::ScalarType::Boolean:
      type.family = Family::Boolean, type.native = NativeType::Boolean;
      break;
    case psl::ScalarType::Int:
      type.family = Family::Int, type.native = NativeType::Integer;
      break;
    case psl::ScalarType::BigInt:
      type.family = Family::BigInt, type.native = NativeType::BigInt;
      break;
    case psl::ScalarType::Float:
      type.family = Family::Float, type.native = NativeType::DoublePrecision;
      break;
    case psl::ScalarType::Decimal:
      type.family = Family::Decimal, type.native = NativeType::Decimal, type.args = {65, 30};
      break;
    case psl::ScalarType::DateTime:
      type.family = Family::DateTime, type.native = NativeType::Timestamp, type.args = {3};
      break;
    case psl::ScalarType::Json:
      type.family = Family::Json, type.native = NativeType::JsonB;
      break;
    case psl::ScalarType::Bytes:
      type.family = Family::Binary, type.native = NativeType::ByteA;
      break;
  }
  if (const psl::Attribute* native = field.native_type()) {
    if (auto named = native_type_named(native->base_name())) {
      type.native = *named;
      type.args.clear();
      for (const psl::Argument& argument : native->arguments)
        type.args.push_back(static_cast<std::uint32_t>(std::stoul(argument.value.value)));
    }
  }
  return type;
}

// Prisma's name for an operator class written as `ops: JsonbPathOps`.
std::string operator_class_name(const Expression& ops) {
  if (ops.is_call("raw") && !ops.arguments.empty()) return ops.arguments[0].value.value;
  std::string out;
  const std::string& name = ops.value;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) && i > 0) out += '_';
    out += static_cast<char>(std::tolower(c));
  }
  for (auto [from, to] : {std::pair{"min_max", "minmax"},
                          {"timestamp_tz", "timestamptz"},
                          {"time_tz", "timetz"},
                          {"var_bit", "varbit"}}) {
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from))
      out.replace(at, std::string(from).size(), to);
  }
  return out;
}

IndexAlgorithm algorithm_named(std::string_view name) {
  if (name == "Hash") return IndexAlgorithm::Hash;
  if (name == "Gist") return IndexAlgorithm::Gist;
  if (name == "Gin") return IndexAlgorithm::Gin;
  if (name == "SpGist") return IndexAlgorithm::SpGist;
  if (name == "Brin") return IndexAlgorithm::Brin;
  return IndexAlgorithm::BTree;
}

class Builder {
 public:
  explicit Builder(const psl::Schema& schema) : psl_(schema) {}

  Schema build() {
    out_.namespaces.emplace_back("public");
    extensions();
    for (const psl::Enum& value : psl_.enums) {
      Enum result{.name = std::string(value.database_name()), .namespace_name = "public", .values = {}};
      for (const psl::EnumValue& item : value.values)
        result.values.emplace_back(item.database_name());
      out_.enums.push_back(std::move(result));
    }
    table_of_model_.assign(psl_.models.size(), npos);
    for (std::size_t m = 0; m < psl_.models.size(); ++m) {
      if (psl_.models[m].kind != psl::ModelKind::Model) continue;
      table_of_model_[m] = out_.tables.size();
      out_.tables.push_back(table(psl_.models[m]));
    }
    bool foreign_keys = relation_mode_uses_foreign_keys();
    if (foreign_keys) inline_relations();
    join_tables(foreign_keys);
    return std::move(out_);
  }

 private:
  void extensions() {
    const psl::ConfigBlock* datasource = psl_.datasource();
    if (datasource == nullptr || !has_preview_feature(psl_, "postgresqlExtensions")) return;
    const psl::ConfigProperty* list = datasource->property("extensions");
    if (list == nullptr) return;
    for (const Expression& item : list->value.items) {
      Extension extension{.name = item.value, .schema = {}, .version = {}, .relocatable = false};
      if (const Expression* map = item.value_of("map")) extension.name = map->value;
      if (const Expression* schema = item.value_of("schema")) extension.schema = schema->value;
      if (const Expression* version = item.value_of("version")) extension.version = version->value;
      out_.extensions.push_back(std::move(extension));
    }
    // Prisma's engine creates extensions in name order, whatever the datasource's order.
    std::sort(out_.extensions.begin(), out_.extensions.end(),
              [](const Extension& a, const Extension& b) { return a.name < b.name; });
  }

  [[nodiscard]] bool relation_mode_uses_foreign_keys() const {
    const psl::ConfigBlock* datasource = psl_.datasource();
    if (datasource == nullptr) return true;
    auto mode = datasource->string_property("relationMode");
    if (!mode) mode = datasource->string_property("referentialIntegrity");
    return !mode || *mode != "prisma";
  }

  Column column(const psl::Field& field) {
    Column column;
    column.name = std::string(field.database_name());
    if (field.type.kind == psl::TypeKind::Enum) {
      column.type.family = Family::Enum;
      column.type.name = std::string(psl_.enums[field.type.target].database_name());
      column.type.arity = field.is_list()       ? Arity::List
                          : field.is_optional() ? Arity::Nullable
                                                : Arity::Required;
    } else if (field.type.kind == psl::TypeKind::Unsupported || field.type.is_unsupported()) {
      column.type.family = Family::Unsupported;
      column.type.name = field.type.unsupported.value_or("");
      column.type.arity = field.is_list()       ? Arity::List
                          : field.is_optional() ? Arity::Nullable
                                                : Arity::Required;
    } else {
      column.type = scalar_type(field);
    }
    if (const psl::Attribute* attribute = field.attribute("default")) {
      if (const Expression* value = attribute->value_of("value", 0)) apply_default(field, *value, column);
    }
    return column;
  }

  void apply_default(const psl::Field& field, const Expression& value, Column& column) {
    if (value.is_call("dbgenerated")) {
      Default generated{.kind = Default::Kind::DbGenerated, .value = {}, .text = {}};
      if (value.arguments.empty())
        generated.has_expression = false;
      else
        generated.text = value.arguments[0].value.value;
      column.default_value = generated;
    } else if (value.is_call("now")) {
      column.default_value = Default{.kind = Default::Kind::Now, .value = {}, .text = {}};
    } else if (value.is_call("autoincrement")) {
      column.auto_increment = true;
    } else if (value.is_call("sequence")) {
      column.auto_increment = true;
    } else if (value.is_function()) {
      column.prisma_level_default = true;  // cuid(), uuid(), nanoid(), ulid(): computed by the client
    } else if (field.type.kind == psl::TypeKind::Enum) {
      const psl::Enum& type = psl_.enums[field.type.target];
      column.default_value =
          Default{.kind = Default::Kind::Value, .value = enum_value(type, value), .text = {}};
    } else if (field.type.kind == psl::TypeKind::Scalar) {
      column.default_value = Default{
          .kind = Default::Kind::Value, .value = constant_value(value, field.type.scalar), .text = {}};
    }
  }

  static Value enum_value(const psl::Enum& type, const Expression& value) {
    if (value.is_array()) {
      Value list{Value::Kind::List, {}, {}};
      for (const Expression& item : value.items)
        list.items.push_back(enum_value(type, item));
      return list;
    }
    const psl::EnumValue* item = type.value(value.value);
    return Value{Value::Kind::Enum, item != nullptr ? std::string(item->database_name()) : value.value, {}};
  }

  Table table(const psl::Model& model) {
    Table table;
    table.name = std::string(model.database_name());
    std::vector<std::size_t> column_of_field(model.fields.size(), npos);
    for (std::size_t f = 0; f < model.fields.size(); ++f) {
      const psl::Field& field = model.fields[f];
      if (field.type.kind == psl::TypeKind::Model || field.type.kind == psl::TypeKind::CompositeType)
        continue;
      column_of_field[f] = table.columns.size();
      table.columns.push_back(column(field));
    }
    auto column_named = [&](std::string_view field_name) {
      std::size_t f = model.field_index(field_name);
      return f == psl::npos ? npos : column_of_field[f];
    };
    // Field attributes first (@id, @unique), then @@id, @@index, @@unique.
    for (std::size_t f = 0; f < model.fields.size(); ++f) {
      const psl::Field& field = model.fields[f];
      if (column_of_field[f] == npos) continue;
      if (const psl::Attribute* id = field.attribute("id")) {
        Index key = single_column_index(*id, column_of_field[f], IndexKind::PrimaryKey);
        key.name = map_or(*id, primary_key_name(table.name));
        table.primary_key = std::move(key);
      }
    }
    if (const psl::Attribute* id = model.attribute("id")) {
      Index key = compound_index(*id, column_named, IndexKind::PrimaryKey);
      key.name = map_or(*id, primary_key_name(table.name));
      table.primary_key = std::move(key);
    }
    for (std::size_t f = 0; f < model.fields.size(); ++f) {
      const psl::Field& field = model.fields[f];
      const psl::Attribute* unique = field.attribute("unique");
      if (column_of_field[f] == npos || unique == nullptr) continue;
      Index index = single_column_index(*unique, column_of_field[f], IndexKind::Unique);
      index.name = map_or(*unique, unique_index_name(table.name, {table.columns[column_of_field[f]].name}));
      table.indexes.push_back(std::move(index));
    }
    for (const char* kind : {"index", "unique"}) {
      for (const psl::Attribute* attribute : model.attributes_named(kind)) {
        bool unique = std::string_view(kind) == "unique";
        Index index =
            compound_index(*attribute, column_named, unique ? IndexKind::Unique : IndexKind::Normal);
        std::vector<std::string> names;
        for (const IndexColumn& column : index.columns)
          names.push_back(table.columns[column.column].name);
        // On @@index, `name:` is the legacy spelling of `map:`; on @@unique it
        // names the compound key in the client and not the index.
        std::string fallback = unique ? unique_index_name(table.name, names) : index_name(table.name, names);
        const Expression* legacy = unique ? nullptr : attribute->value_of("name");
        if (legacy != nullptr && legacy->is_string()) fallback = legacy->value;
        index.name = map_or(*attribute, fallback);
        table.indexes.push_back(std::move(index));
      }
    }
    return table;
  }

  static std::string map_or(const psl::Attribute& attribute, std::string fallback) {
    const Expression* map = attribute.value_of("map");
    return map != nullptr && map->is_string() ? map->value : fallback;
  }

  static void read_column_arguments(const Expression* holder, const psl::Attribute* attribute,
                                    IndexColumn& column) {
    auto value = [&](std::string_view name) -> const Expression* {
      if (holder != nullptr) return holder->value_of(name);
      return attribute->value_of(name);
    };
    if (const Expression* sort = value("sort"))
      column.sort = sort->value == "Desc" ? SortOrder::Desc : SortOrder::Asc;
    if (const Expression* length = value("length"))
      column.length = static_cast<std::uint32_t>(std::stoul(length->value));
    if (const Expression* ops = value("ops"))
      column.opclass = OperatorClass{operator_class_name(*ops), false};
  }

  static Index single_column_index(const psl::Attribute& attribute, std::size_t column_position,
                                   IndexKind kind) {
    Index index;
    index.kind = kind;
    IndexColumn column;
    column.column = column_position;
    read_column_arguments(nullptr, &attribute, column);
    index.columns.push_back(column);
    return index;
  }

  template <typename ColumnNamed>
  static Index compound_index(const psl::Attribute& attribute, ColumnNamed column_named, IndexKind kind) {
    Index index;
    index.kind = kind;
    if (const Expression* type = attribute.value_of("type")) index.algorithm = algorithm_named(type->value);
    const Expression* fields = attribute.value_of("fields", 0);
    if (fields == nullptr) return index;
    for (const Expression& item : fields->items) {
      IndexColumn column;
      column.column = column_named(item.value);
      if (item.is_function()) read_column_arguments(&item, nullptr, column);
      if (column.column != npos) index.columns.push_back(column);
    }
    if (index.algorithm == IndexAlgorithm::BTree || index.algorithm == IndexAlgorithm::Hash)
      for (IndexColumn& column : index.columns)
        column.opclass.reset();
    return index;
  }

  [[nodiscard]] std::vector<std::size_t> relations_in_prisma_order(psl::RelationKind wanted) const {
    std::vector<std::size_t> out;
    for (std::size_t r = 0; r < psl_.relations.size(); ++r) {
      const psl::Relation& relation = psl_.relations[r];
      bool many = relation.kind == psl::RelationKind::ManyToMany;
      if (many != (wanted == psl::RelationKind::ManyToMany)) continue;
      if (relation.from_model == psl::npos || relation.to_model == psl::npos) continue;
      if (table_of_model_[relation.from_model] == npos || table_of_model_[relation.to_model] == npos)
        continue;
      if (!many && relation.fields.empty()) continue;
      out.push_back(r);
    }
    // Prisma numbers a relation when it meets the field that defines it.
    std::stable_sort(out.begin(), out.end(), [&](std::size_t x, std::size_t y) {
      const psl::Relation& a = psl_.relations[x];
      const psl::Relation& b = psl_.relations[y];
      return std::pair(a.from_model, a.from_field) < std::pair(b.from_model, b.from_field);
    });
    return out;
  }

  static ReferentialAction action(psl::ReferentialAction value) {
    switch (value) {
      case psl::ReferentialAction::Cascade:
        return ReferentialAction::Cascade;
      case psl::ReferentialAction::Restrict:
        return ReferentialAction::Restrict;
      case psl::ReferentialAction::NoAction:
        return ReferentialAction::NoAction;
      case psl::ReferentialAction::SetNull:
        return ReferentialAction::SetNull;
      case psl::ReferentialAction::SetDefault:
        return ReferentialAction::SetDefault;
    }
    return ReferentialAction::NoAction;
  }

  void inline_relations() {
    for (std::size_t r : relations_in_prisma_order(psl::RelationKind::OneToMany)) {
      const psl::Relation& relation = psl_.relations[r];
      const psl::Model& from = psl_.models[relation.from_model];
      const psl::Model& to = psl_.models[relation.to_model];
      ForeignKey key;
      key.table = table_of_model_[relation.from_model];
      key.referenced_table = table_of_model_[relation.to_model];
      std::vector<std::string> names;
      for (std::size_t f : relation.fields) {
        names.emplace_back(from.fields[f].database_name());
        key.columns.push_back(out_.tables[key.table].column_index(names.back()));
      }
      for (std::size_t f : relation.references)
        key.referenced_columns.push_back(
            out_.tables[key.referenced_table].column_index(to.fields[f].database_name()));
      key.name = relation.map ? *relation.map : foreign_key_name(out_.tables[key.table].name, names);
      key.on_delete = action(relation.effective_on_delete);
      key.on_update = action(relation.effective_on_update);
      out_.foreign_keys.push_back(std::move(key));
    }
  }

  void join_tables(bool foreign_keys) {
    for (std::size_t r : relations_in_prisma_order(psl::RelationKind::ManyToMany)) {
      const psl::Relation& relation = psl_.relations[r];
      JoinTableNames names = join_table_names(relation.name);
      std::size_t a = table_of_model_[relation.from_model];
      std::size_t b = table_of_model_[relation.to_model];
      if (!out_.tables[a].primary_key || !out_.tables[b].primary_key) continue;
      std::size_t a_key = out_.tables[a].primary_key->columns.front().column;
      std::size_t b_key = out_.tables[b].primary_key->columns.front().column;
      Table join;
      join.name = names.table;
      Column column_a{.name = "A", .type = out_.tables[a].columns[a_key].type, .default_value = {}};
      Column column_b{.name = "B", .type = out_.tables[b].columns[b_key].type, .default_value = {}};
      join.columns = {column_a, column_b};
      join.primary_key = Index{.name = names.primary_key,
                               .kind = IndexKind::PrimaryKey,
                               .algorithm = IndexAlgorithm::BTree,
                               .columns = {IndexColumn{.column = 0}, IndexColumn{.column = 1}}};
      join.indexes.push_back(Index{.name = names.b_index,
                                   .kind = IndexKind::Normal,
                                   .algorithm = IndexAlgorithm::BTree,
                                   .columns = {IndexColumn{.column = 1}}});
      std::size_t position = out_.tables.size();
      out_.tables.push_back(std::move(join));
      if (!foreign_keys) continue;
      out_.foreign_keys.push_back(ForeignKey{.name = names.a_foreign_key,
                                             .table = position,
                                             .referenced_table = a,
                                             .columns = {0},
                                             .referenced_columns = {a_key},
                                             .on_delete = ReferentialAction::Cascade,
                                             .on_update = ReferentialAction::Cascade});
      out_.foreign_keys.push_back(ForeignKey{.name = names.b_foreign_key,
                                             .table = position,
                                             .referenced_table = b,
                                             .columns = {1},
                                             .referenced_columns = {b_key},
                                             .on_delete = ReferentialAction::Cascade,
                                             .on_update = ReferentialAction::Cascade});
    }
  }

  const psl::Schema& psl_;
  Schema out_;
  std::vector<std::size_t> table_of_model_;
};

}  // namespace

Schema from_schema(const psl::Schema& schema) { return Builder(schema).build(); }

}  // namespace soulstone::model
