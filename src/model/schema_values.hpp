#pragma once
// Internal to model/: constant @default values of a schema as the values
// Prisma's engine holds (and prints) for them.

#include "model/model.hpp"
#include "psl/ast.hpp"

namespace soulstone::model {

// A constant (number, string, boolean, list) for a field of that scalar type.
[[nodiscard]] Value constant_value(const psl::Expression& value, psl::ScalarType type);

// An RFC 3339 date-time as chrono prints a DateTime<FixedOffset>
// ("2024-01-31 10:00:00 +00:00"); the text unchanged when it is not one.
[[nodiscard]] std::string display_datetime(std::string_view text);

}  // namespace soulstone::model
