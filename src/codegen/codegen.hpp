#pragma once
// `soulstone generate`: a typed C++20 client for a Prisma schema.
//
// For every model (and view) the client has a struct with one member per
// scalar field (std::optional for optional fields, std::chrono time points
// for DateTime, client::Decimal for Decimal, nlohmann::json for Json,
// std::vector<std::byte> for Bytes, enum classes for enums) and a repository
// with find_unique/find_first/find_many/count/create/create_many/update/
// update_many/upsert/delete_unique/delete_many and typed includes. The API
// is described in docs/operations.md ("The C++ client"); the runtime the
// generated code calls is src/client_runtime.
//
// Usage:
//
//   psl::Schema schema = psl::load("apps/api/prisma/schema.prisma");
//   for (const codegen::Target& target : codegen::targets(schema, "apps/api/prisma/schema.prisma", {}))
//     codegen::write(codegen::generate(schema, target), target.output);
//
// Contracts: output is a pure function of the schema and the target (no
// dates, no absolute paths unless given), so generating twice gives the same
// bytes; write() leaves files whose content is unchanged untouched, so build
// systems do not recompile them.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "psl/ast.hpp"

namespace soulstone::codegen {

inline constexpr const char* kProvider = "soulstone-cpp";

// What one generator block asks for.
struct Target {
  std::string generator;                // the block's name ("" when none: flags only)
  std::filesystem::path output;         // folder the files go to
  std::string name_space = "db";        // C++ namespace of the client (may be nested: "acme::db")
  std::string schema_label;             // how the header names the schema (its path as given)
  std::vector<std::string> schema_sha;  // SHA-256 of each schema file, hex, in file order
};

struct Overrides {
  std::optional<std::filesystem::path> output;  // replaces the block's output
  std::optional<std::string> name_space;
};

// The targets of every `generator` block whose provider is "soulstone-cpp"
// (relative outputs are relative to the schema's folder, as Prisma's). A
// schema without such a block gets one default target when `overrides`
// names an output, else Error(Input) with a hint showing the block to add.
// Throws Error(Input) for a bad namespace or a block without a usable
// provider.
[[nodiscard]] std::vector<Target> targets(const psl::Schema& schema, const std::filesystem::path& schema_path,
                                          const Overrides& overrides);

struct File {
  std::string name;  // "client.hpp"
  std::string text;
};

// REQUIRES: `schema` passed validation. Throws Error(Input) when two
// generated names would collide (naming both and the fields behind them).
[[nodiscard]] std::vector<File> generate(const psl::Schema& schema, const Target& target);

struct Written {
  std::filesystem::path path;
  bool changed = false;
};
// Writes the files into `folder` (created when missing), atomically each,
// leaving unchanged files untouched. Throws Error(Failure) on I/O errors.
std::vector<Written> write(const std::vector<File>& files, const std::filesystem::path& folder);

}  // namespace soulstone::codegen
