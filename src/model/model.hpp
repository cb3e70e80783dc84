#pragma once
// The relational model: what a Prisma schema means in PostgreSQL, and what a
// live database holds. Both sources produce the same structure
// (model::from_schema in model/from_schema.hpp, model::introspect in
// model/introspect.hpp), so the differ (migrate/diff.hpp) compares like with
// like and the renderer (sql/render.hpp) prints either.
//
// Contracts:
// * Order is meaning. Tables, columns, indexes, foreign keys and enums keep
//   the order in which Prisma's engine would number them: declaration order
//   for a schema (implicit many-to-many join tables last, foreign keys in
//   relation order), name order (bytewise) for an introspected database.
//   Migration steps are sorted by these positions, exactly as Prisma sorts
//   them by its ids, which is what makes our scripts byte-identical.
// * Types carry Prisma's view: a family (the Prisma scalar kind) and, for
//   built-in types, the native type with its arguments as Prisma's describer
//   reads them (an unqualified TIMESTAMP introspects as Timestamp(6)).
// * Defaults are semantic (a value, now(), a sequence, a database expression),
//   never SQL text, so "DEFAULT '{}'" and "'{}'::jsonb" compare equal.
//
// Example:
//
//   model::Schema schema = model::introspect(connection);
//   for (const model::Table& table : schema.tables)
//     for (const model::Column& column : table.columns)
//       if (column.type.family == model::Family::Enum) ...column.type.name...
//
// Thread-safety: plain values; no shared state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soulstone::model {

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

// PostgreSQL's limit on identifier length, in bytes (NAMEDATALEN - 1).
inline constexpr std::size_t kMaxIdentifierLength = 63;

enum class Arity { Required, Nullable, List };

// The Prisma scalar kind of a column.
enum class Family {
  Int,
  BigInt,
  Float,
  Decimal,
  Boolean,
  String,
  DateTime,
  Json,
  Binary,
  Uuid,
  Enum,
  Unsupported
};

// PostgreSQL types Prisma knows by name (its @db.* attributes).
enum class NativeType {
  SmallInt,
  Integer,
  BigInt,
  Oid,
  Decimal,
  Money,
  Real,
  DoublePrecision,
  VarChar,
  Char,
  Text,
  Citext,
  ByteA,
  Date,
  Timestamp,
  Timestamptz,
  Time,
  Timetz,
  Boolean,
  Bit,
  VarBit,
  Uuid,
  Xml,
  Json,
  JsonB,
  Inet,
};

// "VarChar" for NativeType::VarChar (the @db.* spelling); nullopt if unknown.
[[nodiscard]] std::string_view native_type_name(NativeType type) noexcept;
[[nodiscard]] std::optional<NativeType> native_type_named(std::string_view name) noexcept;

struct ColumnType {
  Family family = Family::String;
  Arity arity = Arity::Required;
  // Built-in types: the native type and its arguments (none, a length or
  // precision, or precision and scale). Empty for enums and unsupported types.
  std::optional<NativeType> native;
  std::vector<std::uint32_t> args;
  // Enum: the enum's database name. Unsupported: the type as written in
  // Unsupported("...") or as introspected (udt name, e.g. "tsvector").
  std::string name;

  friend bool operator==(const ColumnType&, const ColumnType&) = default;
};

// A constant default value, as Prisma's engine holds it.
struct Value {
  enum class Kind { String, Enum, Int, BigInt, Float, Boolean, DateTime, Json, Bytes, List };
  Kind kind = Kind::String;
  // String/Enum/Json/DateTime: the text; Int/BigInt/Float: the number as
  // Prisma prints it; Boolean: "true"/"false"; Bytes: lower-case hex digits.
  std::string text;
  std::vector<Value> items;  // List

  friend bool operator==(const Value&, const Value&) = default;
};

struct Default {
  enum class Kind {
    Value,        // a constant
    Now,          // now() / CURRENT_TIMESTAMP
    Sequence,     // autoincrement(): a sequence named `text`
    DbGenerated,  // dbgenerated("expr"): `text` is the expression (may be empty: has_expression false)
  };
  Kind kind = Kind::Value;
  Value value;
  std::string text;
  bool has_expression = true;  // DbGenerated without an argument leaves the default to the database

  friend bool operator==(const Default&, const Default&) = default;
};

struct Column {
  std::string name;
  ColumnType type;
  std::optional<Default> default_value;
  bool auto_increment = false;
  // The default is computed by Prisma's client (cuid(), uuid(), nanoid()...),
  // not by the database: no DEFAULT clause, but adding the column is safe.
  bool prisma_level_default = false;
};

enum class SortOrder { Asc, Desc };
enum class IndexAlgorithm { BTree, Hash, Gist, Gin, SpGist, Brin };
enum class IndexKind { PrimaryKey, Unique, Normal };

struct OperatorClass {
  std::string name;         // e.g. "gin_trgm_ops", "jsonb_path_ops"
  bool is_default = false;  // the default class of the column's type for that algorithm

  friend bool operator==(const OperatorClass&, const OperatorClass&) = default;
};

struct IndexColumn {
  std::size_t column = npos;             // position in Table::columns
  std::optional<SortOrder> sort;         // nullopt: not specified (ascending)
  std::optional<std::uint32_t> length;   // prefix length (MySQL only; kept for completeness)
  std::optional<OperatorClass> opclass;  // only for GiST, GIN, SP-GiST and BRIN
};

struct Index {
  std::string name;
  IndexKind kind = IndexKind::Normal;
  IndexAlgorithm algorithm = IndexAlgorithm::BTree;
  std::vector<IndexColumn> columns;

  [[nodiscard]] bool is_unique() const noexcept { return kind != IndexKind::Normal; }
};

enum class ReferentialAction { NoAction, Restrict, Cascade, SetNull, SetDefault };

struct ForeignKey {
  std::string name;                             // constraint name
  std::size_t table = npos;                     // the constrained table (position in Schema::tables)
  std::size_t referenced_table = npos;          // position in Schema::tables
  std::vector<std::size_t> columns;             // positions in the constrained table
  std::vector<std::size_t> referenced_columns;  // positions in the referenced table
  ReferentialAction on_delete = ReferentialAction::NoAction;
  ReferentialAction on_update = ReferentialAction::NoAction;
};

struct Table {
  std::string name;
  std::string namespace_name = "public";
  std::vector<Column> columns;
  std::optional<Index> primary_key;  // kind == PrimaryKey
  std::vector<Index> indexes;        // unique and plain indexes, in order

  [[nodiscard]] std::size_t column_index(std::string_view name) const noexcept;  // npos when absent
  [[nodiscard]] const Column* column(std::string_view name) const noexcept;
};

struct Enum {
  std::string name;
  std::string namespace_name = "public";
  std::vector<std::string> values;  // database names, in order
};

struct Extension {
  std::string name;
  std::string schema;   // empty: unspecified
  std::string version;  // empty: unspecified
  bool relocatable = false;
};

struct Schema {
  std::vector<std::string> namespaces;  // schemas that exist (introspection) or are needed
  std::vector<Extension> extensions;
  std::vector<Enum> enums;
  std::vector<Table> tables;
  std::vector<ForeignKey> foreign_keys;  // in Prisma's order (see the contracts above)

  [[nodiscard]] std::size_t table_index(std::string_view name) const noexcept;  // npos when absent
  [[nodiscard]] const Table* table(std::string_view name) const noexcept;
  [[nodiscard]] const Enum* enum_named(std::string_view name) const noexcept;
  // The foreign keys of one table, in schema order.
  [[nodiscard]] std::vector<std::size_t> foreign_keys_of(std::size_t table) const;
};

}  // namespace soulstone::model
