// soulstone validate | format: schema checks and canonical formatting.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "psl/psl.hpp"

namespace soulstone::cli {

namespace {

constexpr const char* kDefaultSchema = "apps/api/prisma/schema.prisma";

nlohmann::json diagnostic_json(const psl::Schema& schema, const psl::Diagnostic& d) {
  const psl::Span& span = d.span;
  return {{"severity", d.severity == psl::Severity::Error ? "error" : "warning"},
          {"message", d.message},
          {"file", span.file < schema.files.size() ? schema.files[span.file].path : ""},
          {"line", span.begin.line},
          {"column", span.begin.column},
          {"end_line", span.end.line},
          {"end_column", span.end.column}};
}

void run_validate(const Context& context, const std::string& path) {
  psl::Checked checked = psl::check(psl::read_schema_files(path));
  const psl::Schema& schema = checked.schema;
  if (context.json) {
    nlohmann::json diagnostics = nlohmann::json::array();
    for (const auto& d : checked.diagnostics)
      diagnostics.push_back(diagnostic_json(schema, d));
    print_json({{"schema", path},
                {"valid", checked.ok()},
                {"files", schema.files.size()},
                {"models", schema.models.size()},
                {"enums", schema.enums.size()},
                {"diagnostics", diagnostics}});
  } else {
    for (const auto& d : checked.diagnostics)
      std::cerr << psl::render(schema, d) << '\n';
  }
  if (!checked.ok()) {
    std::size_t errors = checked.error_count();
    throw Error(ErrorKind::Input,
                "the schema at " + path + " is invalid: " + std::to_string(errors) + " error" +
                    (errors == 1 ? "" : "s"),
                "each error above names its file:line:column");
  }
  if (!context.json) {
    std::cout << "The schema at " << path << " is valid (" << schema.models.size() << " models, "
              << schema.enums.size() << " enums).\n";
  }
}

// Replaces `path` with `text` through a temporary file in the same folder,
// keeping the file's permissions: an interrupted format never leaves half a
// schema behind.
void replace_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += ".soulstone-format.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw Error(ErrorKind::Input, "cannot write " + temporary.string() + ": " + errno_text(errno));
    }
  }
  std::error_code ec;
  std::filesystem::permissions(temporary, std::filesystem::status(path).permissions(), ec);
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw Error(ErrorKind::Input, "cannot replace " + path.string() + ": " + ec.message());
  }
}

void run_format(const Context& context, const std::string& path, bool check) {
  std::vector<psl::SourceFile> files = psl::read_schema_files(path);
  nlohmann::json changed = nlohmann::json::array();
  for (const psl::SourceFile& file : files) {
    std::string formatted = psl::format(file.text);
    if (formatted == file.text) continue;
    changed.push_back(file.path);
    if (!check) replace_file(file.path, formatted);
  }
  if (context.json) {
    print_json({{"schema", path}, {"files", files.size()}, {check ? "unformatted" : "formatted", changed}});
  } else if (check) {
    for (const auto& name : changed)
      std::cout << name.get<std::string>() << " is not formatted\n";
  } else {
    std::cout << "Formatted " << path << " (" << changed.size() << " of " << files.size() << " file"
              << (files.size() == 1 ? "" : "s") << " changed).\n";
  }
  if (check && !changed.empty()) {
    throw Error(ErrorKind::Failure,
                std::to_string(changed.size()) + " schema file" + (changed.size() == 1 ? " is" : "s are") +
                    " not formatted",
                "run 'soulstone format' to rewrite them");
  }
}

}  // namespace

void register_schema_commands(CLI::App& root, Context& context) {
  auto schema = std::make_shared<std::string>(kDefaultSchema);

  CLI::App* validate = root.add_subcommand(
      "validate", "Check the schema with Prisma's rules; every error is printed as file:line:column");
  validate->add_option("--schema", *schema, "A .prisma file or a folder of .prisma files")
      ->capture_default_str();
  validate->footer("Exit codes: 0 valid, 3 invalid or unreadable schema.");
  validate->callback([&context, schema] { run_validate(context, *schema); });

  auto check = std::make_shared<bool>(false);
  CLI::App* format = root.add_subcommand(
      "format", "Rewrite the schema file(s) in place in Prisma's canonical format (as `prisma format`)");
  format->add_option("--schema", *schema, "A .prisma file or a folder of .prisma files")
      ->capture_default_str();
  format->add_flag("--check", *check,
                   "Change nothing; list the files that are not formatted (exit 1 if any)");
  format->footer(
      "Exit codes: 0 formatted (or already formatted), 1 --check found unformatted files,\n"
      "3 unreadable schema.");
  format->callback([&context, schema, check] { run_format(context, *schema, *check); });
}

}  // namespace soulstone::cli
