#include "psl/validation.hpp"

namespace soulstone::psl {

std::vector<Diagnostic> validate(Schema& schema) {
  std::vector<Diagnostic> diagnostics;
  detail::Validation v{schema, diagnostics};
  // Names and types are both reported, as Prisma does; relations need types.
  detail::check_names(v);
  detail::resolve_types(v);
  if (v.has_errors()) return diagnostics;
  detail::infer_relations(v);
  return diagnostics;
}

}  // namespace soulstone::psl
