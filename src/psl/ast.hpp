#pragma once
// The syntax tree of a Prisma schema, and the resolved view the validator
// adds to it. Produced by psl::parse (psl/psl.hpp); see that header for the
// entry points and a usage example.
//
// Contracts:
// * Every node keeps its source position (Span: file index, byte offsets,
//   1-based line and column of both ends). Columns count code points.
// * Vectors keep declaration order: Schema::models lists models and views in
//   the order they appear (files in the order given), Model::fields the
//   fields as written, Field::attributes the attributes as written.
// * Names are stored without sigils: the attribute `@db.VarChar(255)` has
//   name "db.VarChar", `@@index` has name "index" and block == true.
// * Documentation is the text of the `///` lines (and `/* */` comments) right
//   above a node plus a `///` comment at the end of its line, each line with
//   the `///` and the leading white space removed, joined by "\n"; as
//   Prisma's DMMF reports it. Plain `//` comments are not documentation.
// * The fields marked "resolved" are filled in by psl::validate and keep
//   their defaults (unresolved, npos) until then. Lookups by name are linear
//   scans; they are meant for the sizes schemas have.
//
// This header only grows: members are added, never renamed or removed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::psl {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

struct Position {
  std::uint32_t offset = 0;  // byte offset in the file's text
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in code points
};

struct Span {
  std::uint32_t file = 0;  // index into Schema::files
  Position begin;
  Position end;  // one past the last character
};

// ---------------------------------------------------------------------------
// Expressions: attribute arguments, defaults, configuration values.

enum class ExpressionKind {
  String,    // "text"            value: the decoded text (escapes resolved)
  Number,    // 42, -1.5          value: the literal as written
  Constant,  // Cascade, db.x     value: the identifier or dotted path
  Function,  // now(), dbgenerated("gen_random_uuid()")  value: the name
  Array,     // [a, b(sort: Desc)]                       value: empty
};

struct Argument;

struct Expression {
  ExpressionKind kind = ExpressionKind::Constant;
  std::string value;
  std::vector<Argument> arguments;  // Function: its arguments
  std::vector<Expression> items;    // Array: its elements
  Span span;

  [[nodiscard]] bool is_string() const noexcept { return kind == ExpressionKind::String; }
  [[nodiscard]] bool is_number() const noexcept { return kind == ExpressionKind::Number; }
  [[nodiscard]] bool is_constant() const noexcept { return kind == ExpressionKind::Constant; }
  [[nodiscard]] bool is_function() const noexcept { return kind == ExpressionKind::Function; }
  [[nodiscard]] bool is_array() const noexcept { return kind == ExpressionKind::Array; }
  // A function call of that name, such as is_call("now").
  [[nodiscard]] bool is_call(std::string_view name) const noexcept {
    return kind == ExpressionKind::Function && value == name;
  }
  // Function arguments, same rules as Attribute::argument below.
  [[nodiscard]] const Argument* argument(std::string_view name) const noexcept;
  [[nodiscard]] const Expression* value_of(std::string_view name, std::size_t position = npos) const noexcept;
  // The expression as it would be written in a schema (strings re-escaped).
  [[nodiscard]] std::string to_source() const;
};

struct Argument {
  std::string name;  // empty for a positional argument
  Expression value;
  bool has_value = true;  // false for `name:` without a value (a syntax error Prisma reports later)
  Span span;

  [[nodiscard]] bool positional() const noexcept { return name.empty(); }
};

// ---------------------------------------------------------------------------
// Attributes: @id, @default(...), @db.VarChar(255), @@index([a, b], map: "x").

struct Attribute {
  std::string name;    // "id", "default", "db.VarChar", "index", "zod.custom.use"
  bool block = false;  // @@ (model/enum attribute) rather than @ (field/value attribute)
  bool has_parentheses = false;
  std::vector<Argument> arguments;
  Span span;                           // from the @ to the closing parenthesis
  Span name_span;                      // the name after the @ or @@
  std::optional<Span> trailing_comma;  // `@map("x",)`: a comma before ")" (Prisma rejects it)

  // The named argument `name`, or nullptr.
  [[nodiscard]] const Argument* argument(std::string_view name) const noexcept;
  // The `index`-th positional (unnamed) argument, or nullptr.
  [[nodiscard]] const Argument* positional(std::size_t index = 0) const noexcept;
  // The value of the named argument `name`, else of the positional argument
  // at `position` (when given), else nullptr. This is how Prisma reads
  // arguments with a default position: value_of("fields", 0) on @@index,
  // value_of("name", 0) on @relation and @map, value_of("value", 0) on @default.
  [[nodiscard]] const Expression* value_of(std::string_view name, std::size_t position = npos) const noexcept;
  // "db" for "db.VarChar", empty when the name has no dot.
  [[nodiscard]] std::string_view prefix() const noexcept;
  // "VarChar" for "db.VarChar"; the whole name when it has no dot.
  [[nodiscard]] std::string_view base_name() const noexcept;
};

// Shared by every node that carries attributes.
[[nodiscard]] const Attribute* find_attribute(const std::vector<Attribute>& attributes,
                                              std::string_view name) noexcept;

// ---------------------------------------------------------------------------
// Fields and their types.

enum class Arity { Required, Optional, List };

// What a field's type name refers to (resolved by validate).
enum class TypeKind { Unresolved, Scalar, Enum, Model, CompositeType, Unsupported };

enum class ScalarType { String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json, Bytes };

[[nodiscard]] std::string_view to_string(ScalarType type) noexcept;
[[nodiscard]] std::optional<ScalarType> scalar_type_named(std::string_view name) noexcept;

struct FieldType {
  std::string name;                        // "String", "User", "Unsupported" for Unsupported("...")
  std::optional<std::string> unsupported;  // for Unsupported("circle"): "circle" (decoded)
  Arity arity = Arity::Required;
  Span span;  // the type as written, including ? or []

  // resolved
  TypeKind kind = TypeKind::Unresolved;
  ScalarType scalar = ScalarType::String;  // when kind == Scalar
  std::size_t target = npos;  // index into Schema::models (Model), enums (Enum) or composite_types

  [[nodiscard]] bool is_unsupported() const noexcept { return unsupported.has_value(); }
};

struct Field {
  std::string name;
  Span name_span;
  FieldType type;
  std::vector<Attribute> attributes;
  std::optional<std::string> documentation;
  Span span;  // the whole declaration line

  // resolved: index into Schema::relations when the field is a relation field
  std::size_t relation = npos;

  [[nodiscard]] Arity arity() const noexcept { return type.arity; }
  [[nodiscard]] bool is_optional() const noexcept { return type.arity == Arity::Optional; }
  [[nodiscard]] bool is_list() const noexcept { return type.arity == Arity::List; }
  [[nodiscard]] bool is_relation() const noexcept { return type.kind == TypeKind::Model; }
  [[nodiscard]] const Attribute* attribute(std::string_view key) const noexcept {
    return find_attribute(attributes, key);
  }
  [[nodiscard]] bool has_attribute(std::string_view key) const noexcept { return attribute(key) != nullptr; }
  // The column name: @map("...") when present, else the field name.
  [[nodiscard]] std::string_view database_name() const noexcept;
  // The native type attribute: the one whose name is `<datasource>.<Type>`
  // (@db.VarChar(255) -> name "db.VarChar", arguments [255]), or nullptr.
  // `datasource` is the datasource block's name; empty accepts any prefix.
  [[nodiscard]] const Attribute* native_type(std::string_view datasource = {}) const noexcept;
  // The kind in a `/// @pii(kind)` documentation line ("email", "none"...),
  // or nullopt when the field carries no marker.
  [[nodiscard]] std::optional<std::string> pii() const;
};

// ---------------------------------------------------------------------------
// Top-level declarations.

enum class ModelKind { Model, View, CompositeType };

// A `model`, a `view` (same shape; views are left out of migrations) or a
// composite `type` (MongoDB only; kept in Schema::composite_types).
struct Model {
  ModelKind kind = ModelKind::Model;
  std::string name;
  Span name_span;
  std::vector<Field> fields;
  std::vector<Attribute> attributes;  // block attributes (@@...), in order
  std::optional<std::string> documentation;
  Span span;

  [[nodiscard]] bool is_view() const noexcept { return kind == ModelKind::View; }
  [[nodiscard]] const Field* field(std::string_view name) const noexcept;
  [[nodiscard]] std::size_t field_index(std::string_view name) const noexcept;  // npos when absent
  [[nodiscard]] const Attribute* attribute(std::string_view key) const noexcept {
    return find_attribute(attributes, key);
  }
  // Every block attribute of that name (@@unique and @@index may repeat).
  [[nodiscard]] std::vector<const Attribute*> attributes_named(std::string_view name) const;
  // The table name: @@map("...") when present, else the model name.
  [[nodiscard]] std::string_view database_name() const noexcept;
  [[nodiscard]] bool ignored() const noexcept { return attribute("ignore") != nullptr; }
};

struct EnumValue {
  std::string name;
  Span name_span;
  std::vector<Attribute> attributes;
  std::optional<std::string> documentation;
  Span span;

  [[nodiscard]] const Attribute* attribute(std::string_view key) const noexcept {
    return find_attribute(attributes, key);
  }
  // @map("...") when present, else the name.
  [[nodiscard]] std::string_view database_name() const noexcept;
};

struct Enum {
  std::string name;
  Span name_span;
  std::vector<EnumValue> values;
  std::vector<Attribute> attributes;  // @@map, @@schema
  std::optional<std::string> documentation;
  Span span;

  [[nodiscard]] const EnumValue* value(std::string_view name) const noexcept;
  [[nodiscard]] const Attribute* attribute(std::string_view key) const noexcept {
    return find_attribute(attributes, key);
  }
  // The type name in the database: @@map("...") when present, else the name.
  [[nodiscard]] std::string_view database_name() const noexcept;
};

struct ConfigProperty {
  std::string name;
  Span name_span;
  Expression value;
  Span span;
};

enum class ConfigKind { Datasource, Generator };

// `datasource db { provider = "postgresql" url = env("DATABASE_URL") }` and
// `generator client { ... }`.
struct ConfigBlock {
  ConfigKind kind = ConfigKind::Datasource;
  std::string name;
  Span name_span;
  std::vector<ConfigProperty> properties;
  std::optional<std::string> documentation;
  Span span;

  [[nodiscard]] const ConfigProperty* property(std::string_view name) const noexcept;
  // The value of a property that is a plain string literal, or nullopt.
  [[nodiscard]] std::optional<std::string> string_property(std::string_view name) const;
  // For `url = env("DATABASE_URL")`: "DATABASE_URL"; nullopt when the
  // property is absent or not an env() call.
  [[nodiscard]] std::optional<std::string> env_property(std::string_view name) const;
};

// ---------------------------------------------------------------------------
// Relations (resolved by validate).

enum class ReferentialAction { Cascade, Restrict, NoAction, SetNull, SetDefault };

[[nodiscard]] std::string_view to_string(ReferentialAction action) noexcept;

enum class RelationKind { OneToOne, OneToMany, ManyToMany };

// One relation between two models, found by pairing relation fields.
//
// For one-to-one and one-to-many relations the `from` side is the field
// that carries @relation(fields: [...], references: [...]) (the foreign
// key's table) and the `to` side is its back-relation field on the
// referenced model. For implicit many-to-many relations (two list fields, no
// fields/references) `from` is the model Prisma calls "A" in the join table
// `_<name>`: the one whose name sorts first (for a self-relation, the field
// whose name sorts first).
struct Relation {
  std::string name;  // @relation("name") when given, else Prisma's default "<A>To<B>"
  bool explicit_name = false;
  RelationKind kind = RelationKind::OneToMany;
  std::size_t from_model = npos;
  std::size_t from_field = npos;
  std::size_t to_model = npos;
  std::size_t to_field = npos;
  std::vector<std::size_t> fields;             // indexes into from_model's fields (empty for many-to-many)
  std::vector<std::size_t> references;         // indexes into to_model's fields
  std::optional<ReferentialAction> on_delete;  // as written in @relation
  std::optional<ReferentialAction> on_update;
  // What applies: as written, else Prisma's defaults (onDelete: SetNull when
  // a referencing field is optional, Restrict otherwise; onUpdate: Cascade).
  ReferentialAction effective_on_delete = ReferentialAction::Restrict;
  ReferentialAction effective_on_update = ReferentialAction::Cascade;
  std::optional<std::string> map;  // @relation(map: "...") foreign key name

  [[nodiscard]] bool is_implicit_many_to_many() const noexcept { return kind == RelationKind::ManyToMany; }
  [[nodiscard]] bool is_self_relation() const noexcept { return from_model == to_model; }
};

// ---------------------------------------------------------------------------
// The whole schema.

struct SourceFile {
  std::string path;  // as given; used in diagnostics
  std::string text;
};

enum class TopKind { Model, Enum, CompositeType, Datasource, Generator };

struct TopRef {
  TopKind kind;
  std::size_t index;  // into the vector of that kind
};

struct Schema {
  std::vector<SourceFile> files;
  std::vector<Model> models;  // models and views (kind tells), in declaration order
  std::vector<Model> composite_types;
  std::vector<Enum> enums;
  std::vector<ConfigBlock> datasources;
  std::vector<ConfigBlock> generators;
  std::vector<TopRef> order;  // every top-level declaration, in declaration order

  // resolved
  std::vector<Relation> relations;

  [[nodiscard]] const Model* model(std::string_view name) const noexcept;  // models and views
  [[nodiscard]] std::size_t model_index(std::string_view name) const noexcept;
  [[nodiscard]] const Enum* enum_named(std::string_view name) const noexcept;
  [[nodiscard]] std::size_t enum_index(std::string_view name) const noexcept;
  [[nodiscard]] const Model* composite_type(std::string_view name) const noexcept;
  [[nodiscard]] const ConfigBlock* datasource() const noexcept;  // the first, or nullptr
  [[nodiscard]] const ConfigBlock* generator(std::string_view name) const noexcept;
  // The relation a relation field belongs to, or nullptr (before validate,
  // or for a field that is not a relation field).
  [[nodiscard]] const Relation* relation_of(const Field& field) const noexcept;
  // The other side's field of a relation field, or nullptr.
  [[nodiscard]] const Field* opposite(const Field& field) const noexcept;
  // "path:line:column" for a position, as diagnostics print it.
  [[nodiscard]] std::string where(const Span& span) const;
};

}  // namespace soulstone::psl
