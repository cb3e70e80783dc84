#pragma once
// The client to generate, decided before any text is written: C++ names and
// types, quoted SQL identifiers, keys, defaults and relations of every model.
// Internal to codegen.

#include <cstddef>
#include <string>
#include <vector>

#include "psl/ast.hpp"

namespace soulstone::codegen {

enum class DefaultKind {
  None,       // the caller must give a value (or it is NULL, for optional fields)
  Database,   // the database fills it in when the column is left out
  Client,     // uuid(), cuid(), nanoid(), ulid(): the client computes it
  UpdatedAt,  // @updatedAt: the client sets "now" on create and on every update
};

struct FieldPlan {
  std::string member;       // C++ member name
  std::string column;       // quoted identifier: "\"full_name\""
  std::string value_type;   // C++ type of one value: "std::string", "Role"
  std::string sql_type;     // PostgreSQL type for casts: "uuid", "\"user_role\""
  std::string filter_type;  // the member type in the where-input
  psl::ScalarType scalar = psl::ScalarType::String;
  bool is_enum = false;
  bool list = false;
  bool optional = false;
  DefaultKind default_kind = DefaultKind::None;
  std::string client_default;  // expression for DefaultKind::Client
  std::string documentation;

  // The member's type in the model struct: T, std::optional<T> or std::vector<T>.
  [[nodiscard]] std::string member_type() const;
};

struct UniquePlan {
  std::string name;                 // "UserByEmail"
  std::vector<std::size_t> fields;  // indexes into ModelPlan::fields
};

enum class RelationKind {
  ToOneOwner,  // this model holds the foreign key
  ToOneBack,   // one-to-one, the other model holds the foreign key
  ToManyBack,  // one-to-many, the other model holds the foreign key
  ManyToMany,  // implicit join table
};

struct RelationPlan {
  std::string member;      // C++ member name
  std::string field;       // the schema's field name (for comments)
  std::size_t target = 0;  // index into Plan::models
  RelationKind kind = RelationKind::ToOneOwner;
  std::vector<std::size_t> local;   // key fields of this model (indexes into fields)
  std::vector<std::size_t> remote;  // matching fields of the target model
  // ManyToMany only: the join table (quoted) and its columns.
  std::string join_table;
  std::string join_local;   // the column holding this model's key
  std::string join_remote;  // the column holding the target's key

  [[nodiscard]] bool to_many() const noexcept {
    return kind == RelationKind::ToManyBack || kind == RelationKind::ManyToMany;
  }
};

struct ModelPlan {
  std::string name;         // C++ struct name (the model's name, unless reserved)
  std::string accessor;     // Client member function: lower camel case of the name
  std::string table;        // quoted, schema-qualified when @@schema says so
  std::string schema_name;  // the model's name in the schema
  std::string documentation;
  bool read_only = false;  // views
  bool creatable = true;   // false when a required column is invisible to the client (Unsupported)
  std::vector<FieldPlan> fields;
  std::vector<UniquePlan> uniques;  // the primary key first when there is one
  std::vector<RelationPlan> relations;

  [[nodiscard]] std::string type(std::string_view suffix) const { return name + std::string(suffix); }
};

struct EnumValuePlan {
  std::string member;   // C++ enumerator
  std::string db_name;  // @map or the name
};

struct EnumPlan {
  std::string name;
  std::string schema_name;
  std::string documentation;
  std::vector<EnumValuePlan> values;
};

struct Plan {
  std::string name_space;
  std::string client_class = "Client";
  bool has_json = false;
  std::vector<EnumPlan> enums;
  std::vector<ModelPlan> models;
};

// Throws Error(Input) on a name collision.
[[nodiscard]] Plan make_plan(const psl::Schema& schema, const std::string& name_space);

// ---- C++ spelling (cpp_names.cpp)

// `name` itself, or with a trailing underscore when it is a C++ keyword, a
// common macro or a name reserved to the implementation.
[[nodiscard]] std::string cpp_identifier(std::string_view name);
// "\"text\"" as a C++ string literal (escapes quotes and backslashes).
[[nodiscard]] std::string cpp_string(std::string_view text);
// A PostgreSQL identifier quoted as libpq's PQescapeIdentifier does.
[[nodiscard]] std::string sql_identifier(std::string_view name);
// "cartItem" for "CartItem".
[[nodiscard]] std::string lower_first(std::string_view name);
// "CartIdProductId" for {"cartId", "productId"}.
[[nodiscard]] std::string pascal_join(const std::vector<std::string>& words);

}  // namespace soulstone::codegen
