#pragma once
// The Prisma Schema Language: read, parse, validate and format schemas the
// way Prisma 7 does (same verdicts, same wording of errors where Prisma has
// words, file:line:column on every diagnostic). The tree is in psl/ast.hpp.
//
// Usage:
//
//   #include "psl/psl.hpp"
//
//   // Throws Error(Input) with every diagnostic when the schema is invalid.
//   psl::Schema schema = psl::load("apps/api/prisma/schema.prisma");
//   for (const psl::Model& model : schema.models) {
//     if (model.is_view()) continue;                      // not a table
//     std::string_view table = model.database_name();     // @@map or name
//     for (const psl::Field& field : model.fields) {
//       if (field.type.kind == psl::TypeKind::Model) {    // relation field
//         const psl::Relation& rel = *schema.relation_of(field);
//         ...rel.fields, rel.references, rel.effective_on_delete...
//         continue;
//       }
//       if (const psl::Attribute* db = field.native_type())  // @db.VarChar(255)
//         ...db->base_name() == "VarChar", db->positional(0)->value.value == "255"
//       if (const psl::Attribute* def = field.attribute("default"))
//         ...def->value_of("value", 0)->is_call("now")...
//       if (auto kind = field.pii()) ...                    // "/// @pii(email)"
//     }
//     for (const psl::Attribute* index : model.attributes_named("index"))
//       ...index->value_of("fields", 0)->items, index->value_of("map")...
//   }
//
//   // Or step by step, keeping the diagnostics (the CLI does this):
//   psl::Checked checked = psl::check(psl::read_schema_files("schema.prisma"));
//   for (const psl::Diagnostic& d : checked.diagnostics)
//     std::cerr << psl::render(checked.schema, d) << "\n";   // file:line:col: error: ...
//
//   std::string pretty = psl::format(text);  // what `prisma format` writes
//
// Thread-safety: functions are pure over their arguments; a Schema may be
// read from many threads once validated.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "psl/ast.hpp"

namespace soulstone::psl {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  // Prisma's message where Prisma has one, e.g. "Error validating field
  // `posts` in model `User`: The relation field `posts` on model `User` is
  // missing an opposite relation field on the model `Post`. ..."
  std::string message;
  Span span;
};

// The .prisma file at `path`, or every .prisma file under the folder `path`
// (recursively, sorted by path), as Prisma's multi-file schemas. Throws
// Error(Input) when the path cannot be read or a folder holds no .prisma file.
[[nodiscard]] std::vector<SourceFile> read_schema_files(const std::filesystem::path& path);

// Parses every file into one schema. Syntax errors are appended to
// `diagnostics` (one per bad line, as Prisma reports them); the tree holds
// everything that parsed. Never throws on bad input.
[[nodiscard]] Schema parse(std::vector<SourceFile> files, std::vector<Diagnostic>& diagnostics);

// Applies Prisma's validation rules for the postgresql provider, fills in the
// resolved parts of `schema` (field type kinds, relations) and returns the
// diagnostics in Prisma's order. Does not throw on bad input.
[[nodiscard]] std::vector<Diagnostic> validate(Schema& schema);

struct Checked {
  Schema schema;
  std::vector<Diagnostic> diagnostics;  // parse errors first, then validation's

  [[nodiscard]] bool ok() const noexcept;  // no diagnostic of severity Error
  [[nodiscard]] std::size_t error_count() const noexcept;
};

// parse + validate.
[[nodiscard]] Checked check(std::vector<SourceFile> files);

// read_schema_files + check; throws Error(Input) listing every error
// (file:line:col each) when the schema is invalid. Warnings are dropped.
[[nodiscard]] Schema load(const std::filesystem::path& path);

// The canonical formatting of one file's text, byte for byte what
// `prisma format` writes for a schema Prisma accepts: aligned columns, block
// attributes last, attribute order by kind, blank lines kept (one at most).
// Lines that do not parse are kept as written. Unlike `prisma format` it
// never adds fields (Prisma adds missing back-relation fields).
[[nodiscard]] std::string format(std::string_view text);

// "path:line:col: error: message" (or "warning: ").
[[nodiscard]] std::string render(const Schema& schema, const Diagnostic& diagnostic);

}  // namespace soulstone::psl
