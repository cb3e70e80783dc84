#pragma once
// One register_* function per command group, each in its own file.
// A group adds its subcommands to the root app and keeps the parsed flags in
// state it owns; the callbacks run after parsing succeeds.

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/context.hpp"
#include "cli/migrate_flags.hpp"

namespace soulstone::cli {

void register_pg_commands(CLI::App& root, Context& context);
void register_db_commands(CLI::App& root, Context& context);
void register_seed_command(CLI::App& db, Context& context);  // db seed
void register_snapshot_commands(CLI::App& root, Context& context);
void register_backup_commands(CLI::App& root, Context& context);
void register_schema_commands(CLI::App& root, Context& context);
void register_migrate_commands(CLI::App& root, Context& context);
// The hook for `migrate diff` and `migrate dev` (migrate_diff_command.cpp):
// they add themselves to the `migrate` group that register_migrate_commands
// makes, sharing its --schema/--migrations/--lock-timeout flags.
void register_migrate_diff_commands(CLI::App& migrate, Context& context,
                                    const std::shared_ptr<MigrateFlags>& flags);
void register_restore_commands(CLI::App& root, Context& context);
void register_drill_commands(CLI::App& root, Context& context);
void register_generate_command(CLI::App& root, Context& context);
void register_agent_commands(CLI::App& root, Context& context);
// `migrate dev` (migrate_dev_command.cpp), called by register_migrate_diff_commands.
void register_migrate_dev_command(CLI::App& migrate, Context& context,
                                  const std::shared_ptr<MigrateFlags>& flags);

}  // namespace soulstone::cli
