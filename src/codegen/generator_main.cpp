// soulstone_codegen_tool SCHEMA OUTPUT_DIR: `soulstone generate --schema
// SCHEMA --output OUTPUT_DIR` from the codegen library alone, without the
// CLI. Libraries that the soulstone binary links (the agent's read API) use
// it to generate their client at build time: generating with the soulstone
// binary itself would make it depend on its own output.

#include <cstdio>
#include <exception>

#include "base/error.hpp"
#include "codegen/codegen.hpp"
#include "psl/psl.hpp"

int main(int argc, char** argv) {
  using namespace soulstone;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SCHEMA OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    psl::Schema schema = psl::load(argv[1]);
    std::vector<codegen::Target> targets = codegen::targets(schema, argv[1], {.output = argv[2]});
    // With an output given, every soulstone-cpp block writes to it: one is enough.
    (void)codegen::write(codegen::generate(schema, targets.front()), argv[2]);
    return 0;
  } catch (const Error& error) {
    std::fprintf(stderr, "%s: error: %s\n", argv[0], error.what());
    if (!error.hint().empty()) std::fprintf(stderr, "hint: %s\n", error.hint().c_str());
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: error: %s\n", argv[0], error.what());
    return 1;
  }
}
