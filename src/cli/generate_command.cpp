// soulstone generate: the typed C++ client for the schema (src/codegen).

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "codegen/codegen.hpp"
#include "psl/psl.hpp"

namespace soulstone::cli {

namespace {

struct GenerateFlags {
  std::string schema = "apps/api/prisma/schema.prisma";
  std::string output;
  std::string name_space;
  bool check = false;
};

bool same_as_on_disk(const std::filesystem::path& path, const std::string& text) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return false;
  std::ostringstream current;
  current << stream.rdbuf();
  return current.str() == text;
}

void run_generate(const Context& context, const GenerateFlags& flags) {
  psl::Schema schema = psl::load(flags.schema);
  codegen::Overrides overrides;
  if (!flags.output.empty()) overrides.output = flags.output;
  if (!flags.name_space.empty()) overrides.name_space = flags.name_space;

  nlohmann::json targets = nlohmann::json::array();
  std::size_t stale = 0;
  for (const codegen::Target& target : codegen::targets(schema, flags.schema, overrides)) {
    std::vector<codegen::File> files = codegen::generate(schema, target);
    nlohmann::json written = nlohmann::json::array();
    if (flags.check) {
      for (const codegen::File& file : files) {
        bool current = same_as_on_disk(target.output / file.name, file.text);
        stale += current ? 0 : 1;
        written.push_back({{"path", (target.output / file.name).string()}, {"up_to_date", current}});
        if (!context.json && !current)
          std::cerr << (target.output / file.name).string() << " is out of date\n";
      }
    } else {
      for (const codegen::Written& file : codegen::write(files, target.output)) {
        written.push_back({{"path", file.path.string()}, {"changed", file.changed}});
        if (!context.json)
          std::cout << (file.changed ? "wrote " : "unchanged ") << file.path.string() << '\n';
      }
    }
    targets.push_back({{"generator", target.generator},
                       {"output", target.output.string()},
                       {"namespace", target.name_space},
                       {"files", written}});
  }
  if (context.json) print_json({{"schema", flags.schema}, {"check", flags.check}, {"targets", targets}});
  if (stale > 0)
    throw Error(ErrorKind::Failure, std::to_string(stale) + " generated file(s) are out of date",
                "run `soulstone generate` and commit the result");
}

}  // namespace

void register_generate_command(CLI::App& root, Context& context) {
  auto flags = std::make_shared<GenerateFlags>();
  CLI::App* generate = root.add_subcommand(
      "generate",
      "Write the typed C++ client for the schema (generator blocks with provider \"soulstone-cpp\")");
  generate->add_option("--schema", flags->schema, "A .prisma file or a folder of .prisma files")
      ->capture_default_str();
  generate->add_option("--output", flags->output,
                       "Folder for the files, instead of the generator block's output (needed when the "
                       "schema has no soulstone-cpp generator)");
  generate->add_option("--namespace", flags->name_space,
                       "C++ namespace of the client (default: the block's, else db)");
  generate->add_flag("--check", flags->check,
                     "Write nothing; exit 1 when a generated file is missing or out of date");
  generate->footer(
      "Writes client.hpp and client.cpp; files whose content is unchanged are left untouched.\n"
      "Exit codes: 0 written (or up to date), 1 out of date (--check) or cannot write, 3 invalid schema,\n"
      "no soulstone-cpp generator and no --output, or a name the client cannot use.");
  generate->callback([&context, flags] { run_generate(context, *flags); });
}

}  // namespace soulstone::cli
