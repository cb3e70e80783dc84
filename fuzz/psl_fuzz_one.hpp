#pragma once
// One fuzzing input through the whole schema pipeline: parse, validate,
// render every diagnostic, format. Shared by the libFuzzer target and the
// regression test that replays its findings, so both check the same
// invariants; a broken invariant aborts (libFuzzer reports it as a crash).

#include <cstdlib>
#include <string>
#include <string_view>

#include "psl/psl.hpp"

namespace soulstone::psl::fuzz {

inline void require(bool condition) {
  if (!condition) std::abort();
}

inline void run_one(std::string_view input) {
  std::string text(input);
  Checked checked = check({{"fuzz.prisma", text}});
  for (const Diagnostic& d : checked.diagnostics) {
    require(d.span.file == 0);
    require(d.span.begin.offset <= d.span.end.offset);
    require(d.span.end.offset <= text.size());
    require(d.span.begin.line >= 1 && d.span.begin.column >= 1);
    require(!d.message.empty());
    (void)render(checked.schema, d);
  }
  // The resolved view only points at what exists.
  for (const Relation& relation : checked.schema.relations) {
    require(relation.from_model < checked.schema.models.size());
    require(relation.to_model < checked.schema.models.size());
    require(relation.from_field == npos ||
            relation.from_field < checked.schema.models[relation.from_model].fields.size());
    require(relation.to_field == npos ||
            relation.to_field < checked.schema.models[relation.to_model].fields.size());
  }
  std::string formatted = format(text);
  require(!formatted.empty() && formatted.back() == '\n');
  // Formatting a schema Prisma accepts is stable: a second pass changes nothing.
  if (checked.ok()) require(format(formatted) == formatted);
}

}  // namespace soulstone::psl::fuzz
