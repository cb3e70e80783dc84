#include "cli/output.hpp"

namespace soulstone::cli {

void print_error(const Error& error, bool json) {
  if (json) {
    nlohmann::json document = {{"error",
                                {{"kind", to_string(error.kind())},
                                 {"message", error.what()},
                                 {"hint", error.hint()},
                                 {"exit_code", exit_code_for(error.kind())}}}};
    std::cerr << document.dump() << '\n';
    return;
  }
  std::cerr << "soulstone: error: " << error.what();
  if (!error.hint().empty()) std::cerr << " (hint: " << error.hint() << ")";
  std::cerr << '\n';
}

}  // namespace soulstone::cli
