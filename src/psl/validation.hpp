#pragma once
// The validator's phases (private to psl), in Prisma's order:
//
//   1. names       duplicate and reserved names, identifiers
//   2. types       what each field type refers to
//   3. attributes  every attribute and its arguments, per container
//   4. relations   pairing relation fields into relations
//   5. config      datasource and generator blocks
//   6. checks      rules over the whole schema (unique criteria, relations,
//                  indexes...), only when phases 1-5 found no error
//
// Phases report in that order and, within a phase, in declaration order, so
// the first diagnostic is the one Prisma reports first.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "psl/ast.hpp"
#include "psl/psl.hpp"

namespace soulstone::psl::detail {

// What the attribute phase learns, for the checks that follow.
struct IndexInfo {
  enum class Type { Normal, Unique, Fulltext };
  Type type = Type::Normal;
  std::vector<std::size_t> fields;  // indexes into the model's fields
  const Attribute* attribute = nullptr;
  bool from_field = false;  // @unique on a field rather than @@unique
};

struct ModelInfo {
  std::vector<std::size_t> id_fields;  // the primary key's fields, empty when none
  const Attribute* id_attribute = nullptr;
  bool compound_id = false;
  std::vector<IndexInfo> indexes;  // @unique, @@unique, @@index in attribute order
};

struct Validation {
  Schema& schema;
  std::vector<Diagnostic>& diagnostics;
  std::vector<ModelInfo> models;  // parallel to schema.models
  std::vector<std::string> preview_features;
  std::string datasource_name;  // the first datasource's name ("" when none)
  // Type names to indexes (the first declaration of a name wins, as in
  // Schema::model_index), so that resolving every field's type does not
  // scan every model: a schema of n models would cost n^2.
  std::unordered_map<std::string_view, std::size_t> model_names;
  std::unordered_map<std::string_view, std::size_t> enum_names;
  std::unordered_map<std::string_view, std::size_t> composite_type_names;

  void error(std::string message, const Span& span) {
    diagnostics.push_back(Diagnostic{Severity::Error, std::move(message), span});
  }
  void warning(std::string message, const Span& span) {
    diagnostics.push_back(Diagnostic{Severity::Warning, std::move(message), span});
  }
  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] bool has_preview_feature(std::string_view name) const;
};

// "Error parsing attribute "@name": message"
[[nodiscard]] std::string attribute_error(const Attribute& attribute, std::string_view message);
// "Error validating model "Name": message" (or view).
[[nodiscard]] std::string model_error(const Model& model, std::string_view message);
// The kind of value an expression is, as Prisma names it in messages.
[[nodiscard]] std::string_view value_kind(const Expression& expression);

// Prisma's attribute visitor: each attribute of a container is taken once by
// a rule; what no rule takes is "not known", and every argument a rule did
// not read is "No such argument.".
class Arguments {
 public:
  Arguments(Validation& v, const Attribute& attribute);
  ~Arguments();
  Arguments(const Arguments&) = delete;
  Arguments& operator=(const Arguments&) = delete;

  // The named argument `name`, else the unnamed one. When neither is there
  // and `required`, reports "Argument "name" is missing.".
  const Expression* default_arg(std::string_view name, bool required = true);
  const Expression* optional(std::string_view name);
  // Takes every argument without reporting the unread ones.
  void discard() { pending_.clear(); }

  // Coercions with Prisma's messages ("Expected a string value, but received
  // numeric value `1`."); nullopt after reporting.
  std::optional<std::string> string(const Expression* e);
  std::optional<std::string> constant(const Expression* e);
  std::optional<long long> integer(const Expression* e);
  std::optional<bool> boolean(const Expression* e);
  // A list of constants; a single constant counts as a list of one.
  std::optional<std::vector<const Expression*>> constant_list(const Expression* e);

  [[nodiscard]] const Attribute& attribute() const { return attribute_; }
  void attribute_error(std::string_view message);

 private:
  Validation& v_;
  const Attribute& attribute_;
  // One Arguments per attribute of the schema: the few pending arguments
  // live in this buffer rather than in an allocation of their own.
  std::array<std::byte, 16 * sizeof(const Argument*)> buffer_;
  std::pmr::monotonic_buffer_resource resource_{buffer_.data(), buffer_.size()};
  std::pmr::vector<const Argument*> pending_{&resource_};
};

class AttributeSet {
 public:
  AttributeSet(Validation& v, const std::vector<Attribute>& attributes);
  // An attribute that may appear once: nullptr when absent, repeated (all
  // copies reported) or unusable (empty argument values).
  const Attribute* single(std::string_view name);
  // Every copy of a repeatable attribute (@@index, @@unique), usable ones only.
  std::vector<const Attribute*> repeated(std::string_view name);
  // The native type attribute `<datasource>.<Type>`, or nullptr.
  const Attribute* datasource_scoped();
  // Reports the attributes no rule took.
  void finish();

 private:
  bool usable(const Attribute& attribute);
  // One set per field of every model: a bit mask for the usual handful of
  // attributes spares an allocation each.
  void mark_used(std::size_t i);
  [[nodiscard]] bool used(std::size_t i) const;
  Validation& v_;
  const std::vector<Attribute>& attributes_;
  std::uint64_t used_mask_ = 0;
  std::vector<bool> used_more_;  // attributes past the 64th
};

// Fills the name indexes above.
void index_names(Validation& v);
void check_names(Validation& v);
void resolve_types(Validation& v);
void check_attributes(Validation& v);
void check_field_default(Validation& v, const Model& model, const Field& field, Arguments& args);
void check_native_type(Validation& v, const Model& model, const Field& field, const Attribute& attribute);
void infer_relations(Validation& v);
void collect_configuration(Validation& v);
void check_config(Validation& v);
[[nodiscard]] bool known_default_function(std::string_view name);
// The fields named in @relation(<argument>: [...]) of `field`, looked up in
// `model`; nullopt without that argument. Unknown names are left out.
[[nodiscard]] std::optional<std::vector<std::size_t>> relation_fields_of(const Field& field,
                                                                         std::string_view argument,
                                                                         const Model& model);
void check_schema(Validation& v);
void check_relations(Validation& v);

// Whether `fields`, as a set, is a unique criterion of `model`: its id or
// one of its unique indexes.
[[nodiscard]] bool is_unique_criterion(const Validation& v, std::size_t model,
                                       const std::vector<std::size_t>& fields);

}  // namespace soulstone::psl::detail
