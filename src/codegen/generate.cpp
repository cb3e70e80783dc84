// Targets from the generator blocks, the files of a client, and writing them.

#include <openssl/evp.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/error.hpp"
#include "codegen/codegen.hpp"
#include "codegen/emit.hpp"
#include "codegen/plan.hpp"

namespace soulstone::codegen {

namespace {

constexpr const char* kDefaultOutput = "generated/soulstone-client";
constexpr const char* kHeader = "client.hpp";
constexpr const char* kSource = "client.cpp";

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorKind::Failure, "cannot compute SHA-256 (OpenSSL failed)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

void check_namespace(const std::string& name_space, const std::string& where) {
  std::size_t start = 0;
  bool ok = !name_space.empty();
  while (ok && start <= name_space.size()) {
    std::size_t end = name_space.find("::", start);
    if (end == std::string::npos) end = name_space.size();
    std::string part = name_space.substr(start, end - start);
    ok = !part.empty() && (std::isalpha(static_cast<unsigned char>(part[0])) != 0 || part[0] == '_') &&
         cpp_identifier(part) == part;
    for (char c : part)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_');
    start = end + 2;
  }
  if (!ok)
    throw Error(ErrorKind::Input, where + ": namespace \"" + name_space + "\" is not a C++ namespace name",
                "use identifiers separated by ::, e.g. namespace = \"shop::db\"");
}

}  // namespace

std::vector<Target> targets(const psl::Schema& schema, const std::filesystem::path& schema_path,
                            const Overrides& overrides) {
  std::vector<std::string> sha;
  for (const psl::SourceFile& file : schema.files)
    sha.push_back(sha256_hex(file.text) + (schema.files.size() > 1 ? "  " + file.path : ""));

  std::vector<Target> out;
  for (const psl::ConfigBlock& block : schema.generators) {
    if (block.string_property("provider") != kProvider) continue;
    Target target;
    target.generator = block.name;
    std::filesystem::path base = schema.files.at(block.span.file).path;
    std::filesystem::path output = block.string_property("output").value_or(kDefaultOutput);
    target.output = output.is_absolute() ? output : base.parent_path() / output;
    target.name_space = block.string_property("namespace").value_or("db");
    check_namespace(target.name_space, schema.where(block.span));
    out.push_back(std::move(target));
  }
  if (out.empty()) {
    if (!overrides.output) {
      throw Error(ErrorKind::Input,
                  "the schema at " + schema_path.string() + " has no generator block with provider = \"" +
                      kProvider + "\"",
                  "add `generator cpp { provider = \"soulstone-cpp\" output = \"../generated/cpp\" }` to the "
                  "schema, or pass --output DIR");
    }
    out.emplace_back();
  }
  for (Target& target : out) {
    if (overrides.output) target.output = *overrides.output;
    if (overrides.name_space) {
      check_namespace(*overrides.name_space, "--namespace");
      target.name_space = *overrides.name_space;
    }
    target.schema_label = schema_path.string();
    target.schema_sha = sha;
  }
  return out;
}

std::vector<File> generate(const psl::Schema& schema, const Target& target) {
  Plan plan = make_plan(schema, target.name_space);
  std::string text = banner(target.schema_label, target.schema_sha);
  return {{kHeader, emit_header(plan, text)}, {kSource, emit_source(plan, text, kHeader)}};
}

std::vector<Written> write(const std::vector<File>& files, const std::filesystem::path& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error)
    throw Error(ErrorKind::Failure, "cannot create " + folder.string() + ": " + error.message(),
                "check the output path and its permissions");
  std::vector<Written> out;
  for (const File& file : files) {
    std::filesystem::path path = folder / file.name;
    std::ifstream existing(path, std::ios::binary);
    if (existing) {
      std::ostringstream current;
      current << existing.rdbuf();
      if (current.str() == file.text) {
        out.push_back({path, false});
        continue;
      }
    }
    // A temporary file renamed over the old one: a reader (or a build running
    // at the same time) never sees half a file.
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
      std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
      stream << file.text;
      stream.close();
      if (!stream)
        throw Error(ErrorKind::Failure, "cannot write " + temporary.string(),
                    "check the disk and permissions");
    }
    std::filesystem::rename(temporary, path, error);
    if (error)
      throw Error(ErrorKind::Failure, "cannot rename " + temporary.string() + ": " + error.message());
    out.push_back({path, true});
  }
  return out;
}

}  // namespace soulstone::codegen
