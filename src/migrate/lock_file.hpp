#pragma once
// migration_lock.toml: the provider the migrations were written for.

#include <string>
#include <string_view>

#include "migrate/migrations_dir.hpp"

namespace soulstone::migrate {

inline constexpr std::string_view kLockFileName = "migration_lock.toml";
inline constexpr std::string_view kProvider = "postgresql";

// The provider named in the lock file's text, read as Prisma reads it: the
// first line that starts with `provider`, without `provider = ` and quotes.
// A file without such a line yields "<PROVIDER NOT FOUND>", as in Prisma.
[[nodiscard]] std::string lock_file_provider(std::string_view text);

// The lock file exactly as Prisma writes it.
[[nodiscard]] std::string render_lock_file(std::string_view provider = kProvider);

// Throws Error(Input) when the folder's lock file names another provider
// than `provider` (Prisma's P3019). A folder without a lock file passes, as
// in Prisma.
void check_provider(const MigrationsDir& dir, std::string_view provider = kProvider);

}  // namespace soulstone::migrate
