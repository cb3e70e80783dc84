#pragma once
// One register_* function per command group, each in its own file.
// A group adds its subcommands to the root app and keeps the parsed flags in
// state it owns; the callbacks run after parsing succeeds.

#include <CLI/CLI.hpp>

#include "cli/context.hpp"

namespace soulstone::cli {

void register_pg_commands(CLI::App& root, Context& context);
void register_db_commands(CLI::App& root, Context& context);
void register_snapshot_commands(CLI::App& root, Context& context);
void register_backup_commands(CLI::App& root, Context& context);
void register_schema_commands(CLI::App& root, Context& context);

}  // namespace soulstone::cli
