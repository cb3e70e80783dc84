#pragma once
// A database of the Soulstone shop as the platform makes one: the
// migrations of apps/api/prisma applied with `soulstone migrate deploy`,
// then `soulstone db seed` (apps/api/prisma/seed.toml) at a small scale, both
// through the real binary. Shared by the read API, agent and drill tests.

#include "pg/url.hpp"

namespace soulstone::testing {

// A fresh database seeded at `scale` (row counts of seed.toml times scale).
// Throws std::runtime_error with the tool's output when a step fails.
[[nodiscard]] pg::ConnInfo seeded_shop(double scale = 0.2);

}  // namespace soulstone::testing
