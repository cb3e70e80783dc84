#pragma once
// Internal: arithmetic and logic on Values for rule expressions. Decimals
// stay exact (scaled integers); NULL propagates through arithmetic.

#include <cstdint>
#include <string_view>

#include "seed/value.hpp"

namespace soulstone::seed {

// op is one of + - * / %; throws Error(Input) for kinds that do not mix.
[[nodiscard]] Value arithmetic(char op, const Value& a, const Value& b);

enum class Comparison : std::uint8_t { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };
// `x == null` is true exactly when x is NULL; other comparisons with NULL are NULL.
[[nodiscard]] Value comparison(Comparison op, const Value& a, const Value& b);
// NULL, false, zero and "" are false.
[[nodiscard]] bool truthy(const Value& value);
// Rounds a number to `scale` decimals (half away from zero).
[[nodiscard]] Value round_to(const Value& value, int scale);

}  // namespace soulstone::seed
