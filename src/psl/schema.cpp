// Entry points: reading files, parse + validate, loading, rendering diagnostics.

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "base/error.hpp"
#include "psl/parser.hpp"
#include "psl/psl.hpp"

namespace soulstone::psl {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::Input, "cannot read schema file " + path.string() + ": " + errno_text(errno),
                "check the path given with --schema");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

}  // namespace

std::vector<SourceFile> read_schema_files(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::Input, "schema not found: " + path.string(),
                "pass a .prisma file or a folder of .prisma files with --schema");
  }
  std::vector<SourceFile> files;
  if (!std::filesystem::is_directory(status)) {
    files.push_back({path.string(), read_file(path)});
    return files;
  }
  std::vector<std::filesystem::path> paths;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".prisma") paths.push_back(it->path());
  }
  if (ec) throw Error(ErrorKind::Input, "cannot list schema folder " + path.string() + ": " + ec.message());
  if (paths.empty()) {
    throw Error(ErrorKind::Input, "no .prisma file in " + path.string(),
                "a schema folder holds one or more .prisma files");
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& file : paths)
    files.push_back({file.string(), read_file(file)});
  return files;
}

Schema parse(std::vector<SourceFile> files, std::vector<Diagnostic>& diagnostics) {
  Schema schema;
  schema.files = std::move(files);
  for (std::uint32_t i = 0; i < schema.files.size(); ++i) {
    detail::Parser parser(schema, i, diagnostics);
    parser.parse_file();
  }
  return schema;
}

bool Checked::ok() const noexcept { return error_count() == 0; }

std::size_t Checked::error_count() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

Checked check(std::vector<SourceFile> files) {
  Checked out;
  out.schema = parse(std::move(files), out.diagnostics);
  std::vector<Diagnostic> more = validate(out.schema);
  out.diagnostics.insert(out.diagnostics.end(), std::make_move_iterator(more.begin()),
                         std::make_move_iterator(more.end()));
  return out;
}

Schema load(const std::filesystem::path& path) {
  Checked checked = check(read_schema_files(path));
  if (checked.ok()) return std::move(checked.schema);
  std::string message = "the schema is invalid (" + std::to_string(checked.error_count()) + " error" +
                        (checked.error_count() == 1 ? "" : "s") + "):";
  for (const Diagnostic& d : checked.diagnostics) {
    if (d.severity == Severity::Error) message += "\n" + render(checked.schema, d);
  }
  throw Error(ErrorKind::Input, message, "fix the schema; `soulstone validate` lists the same errors");
}

std::string render(const Schema& schema, const Diagnostic& diagnostic) {
  return schema.where(diagnostic.span) +
         (diagnostic.severity == Severity::Error ? ": error: " : ": warning: ") + diagnostic.message;
}

}  // namespace soulstone::psl
