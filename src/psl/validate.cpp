// The validator: Prisma's phases in Prisma's order (see validation.hpp).

#include "psl/validation.hpp"

namespace soulstone::psl {

std::vector<Diagnostic> validate(Schema& schema) {
  std::vector<Diagnostic> diagnostics;
  detail::Validation v{schema, diagnostics, {}, {}, {}};
  detail::index_names(v);
  detail::collect_configuration(v);
  detail::check_names(v);
  detail::resolve_types(v);
  detail::check_attributes(v);
  detail::infer_relations(v);
  detail::check_config(v);
  // Like Prisma, the rules over the whole schema run only on a schema whose
  // declarations are each valid: they would only repeat earlier errors.
  if (!v.has_errors()) detail::check_schema(v);
  return diagnostics;
}

}  // namespace soulstone::psl
