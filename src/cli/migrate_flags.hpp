#pragma once
// The flags every `soulstone migrate` command shares, owned by the `migrate`
// group and read by its subcommands (deploy, status, resolve, reset, and the
// diff/dev commands registered through register_migrate_diff_commands).

#include <chrono>
#include <filesystem>
#include <string>

namespace soulstone::cli {

struct MigrateFlags {
  std::string schema = "apps/api/prisma/schema.prisma";  // --schema: file or folder of .prisma files
  std::string migrations;            // --migrations: default migrations/ beside the schema
  double lock_timeout_seconds = 10;  // --lock-timeout (Prisma waits 10 s)

  [[nodiscard]] std::filesystem::path migrations_dir() const;
  [[nodiscard]] std::chrono::milliseconds lock_timeout() const;
};

}  // namespace soulstone::cli
