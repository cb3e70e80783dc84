#pragma once
// The validator's phases (private to psl), in Prisma's order: names, types,
// relations, then the rules over attributes and relations. A phase that
// finds errors stops the ones that depend on it, as Prisma stops, so the
// first errors reported are the ones Prisma reports.

#include <string>
#include <vector>

#include "psl/ast.hpp"
#include "psl/psl.hpp"

namespace soulstone::psl::detail {

struct Validation {
  Schema& schema;
  std::vector<Diagnostic>& diagnostics;

  void error(std::string message, const Span& span) {
    diagnostics.push_back(Diagnostic{Severity::Error, std::move(message), span});
  }
  void warning(std::string message, const Span& span) {
    diagnostics.push_back(Diagnostic{Severity::Warning, std::move(message), span});
  }
  [[nodiscard]] bool has_errors() const {
    for (const Diagnostic& d : diagnostics) {
      if (d.severity == Severity::Error) return true;
    }
    return false;
  }
};

// Duplicate and reserved names of top-level declarations and fields.
void check_names(Validation& v);
// Resolves every field type (FieldType::kind, target, scalar).
void resolve_types(Validation& v);
// Pairs relation fields into Schema::relations and sets Field::relation.
void infer_relations(Validation& v);

}  // namespace soulstone::psl::detail
