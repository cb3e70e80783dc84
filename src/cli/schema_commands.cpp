// soulstone validate | format: schema checks and canonical formatting.

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

}  // namespace

void register_schema_commands(CLI::App& root, Context& context) {
  auto schema = std::make_shared<std::string>(kDefaultSchema);

  CLI::App* validate = root.add_subcommand(
      "validate", "Check the schema with Prisma's rules; every error is printed as file:line:column");
  validate->add_option("--schema", *schema, "A .prisma file or a folder of .prisma files")
      ->capture_default_str();
  validate->footer("Exit codes: 0 valid, 3 invalid or unreadable schema.");
  validate->callback([&context, schema] { run_validate(context, *schema); });
}

}  // namespace soulstone::cli
