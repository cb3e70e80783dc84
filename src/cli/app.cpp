#include "cli/app.hpp"

#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/suggest.hpp"

#ifndef SOULSTONE_VERSION
#define SOULSTONE_VERSION "0.0.0"
#endif

namespace soulstone::cli {

namespace {

constexpr const char* kFooter =
    "Exit codes: 0 ok, 1 failure, 2 usage error, 3 bad input, 4 database error,\n"
    "5 PostgreSQL tool failed, 6 storage error, 7 refused by a safety guard,\n"
    "130 stopped by SIGINT/SIGTERM (backup run, restore, drill, snapshot create clean up first).\n"
    "Global flags (before or after the command): --json, --pg-dir DIR.\n"
    "Environment: DATABASE_URL (else the embedded PostgreSQL), SOULSTONE_PG_DIR.";

// The subcommand that was being parsed when an error struck, found by
// following the words of args through the tree of subcommands; `consumed`
// receives the positions of the words that named it.
const CLI::App* deepest_command(const CLI::App& root, const std::vector<std::string>& args,
                                std::vector<bool>& consumed) {
  const CLI::App* current = &root;
  consumed.assign(args.size(), false);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].empty() || args[i].front() == '-') continue;
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : current->get_subcommands([](const CLI::App*) { return true; })) {
      if (sub->get_name() == args[i]) next = sub;
    }
    if (next == nullptr) break;
    consumed[i] = true;
    current = next;
  }
  return current;
}

// Names a mistyped word could have meant: subcommands of the command being
// parsed, and long flags of it and of every parent (global flags).
std::vector<std::string> spellings(const CLI::App* command, bool flags) {
  std::vector<std::string> out;
  if (!flags) {
    for (const CLI::App* sub : command->get_subcommands([](const CLI::App*) { return true; }))
      out.push_back(sub->get_name());
    return out;
  }
  for (const CLI::App* level = command; level != nullptr; level = level->get_parent()) {
    for (const CLI::Option* option : level->get_options()) {
      for (const auto& name : option->get_lnames())
        out.push_back("--" + name);
    }
  }
  return out;
}

std::string command_path(const CLI::App* command) {
  std::string path;
  for (const CLI::App* level = command; level != nullptr; level = level->get_parent()) {
    path = level->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

int usage_error(const CLI::App& root, const std::vector<std::string>& args, const CLI::ParseError& error,
                bool json) {
  std::vector<bool> consumed;
  const CLI::App* command = deepest_command(root, args, consumed);
  std::string message = error.what();
  std::string hint;
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
      command->get_require_subcommand_min() > 0 && command->get_subcommands().empty()) {
    std::string names;
    for (const auto& name : spellings(command, false))
      names += (names.empty() ? "" : ", ") + name;
    message = "'" + command_path(command) + "' needs a command: " + names;
  }
  // Find the first word that is neither a known command nor a known flag.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (consumed[i]) continue;
    const std::string& arg = args[i];
    bool is_flag = !arg.empty() && arg.front() == '-';
    std::string word = is_flag ? arg.substr(0, arg.find('=')) : arg;
    auto names = spellings(command, is_flag);
    if (std::find(names.begin(), names.end(), word) != names.end()) continue;
    if (!is_flag && names.empty()) continue;  // a positional value
    if (is_flag && word.rfind("--", 0) != 0) continue;
    if (!is_flag) message = "unknown command '" + word + "' for '" + command_path(command) + "'";
    if (is_flag) message = "unknown flag '" + word + "' for '" + command_path(command) + "'";
    if (auto guess = closest_spelling(word, names)) hint = "did you mean '" + *guess + "'?";
    break;
  }
  if (hint.empty()) hint = "see '" + command_path(command) + " --help'";
  print_error(Error(ErrorKind::Usage, message, hint), json);
  return exit_code_for(ErrorKind::Usage);
}

}  // namespace

int run(const std::vector<std::string>& args) {
  Context context;
  if (const char* dir = std::getenv("SOULSTONE_PG_DIR"); dir != nullptr && *dir != '\0') context.pg_dir = dir;

  CLI::App root("soulstone: database operations for PostgreSQL with a Prisma schema", "soulstone");
  root.set_version_flag("--version", "soulstone " SOULSTONE_VERSION);
  root.require_subcommand(1);
  root.footer(kFooter);
  root.add_flag("--json", context.json, "Machine-readable output: one JSON document on stdout");
  root.add_option("--pg-dir", context.pg_dir, "Folder of the embedded PostgreSQL (default .soulstone/pg)");
  // Global flags may follow the subcommand: soulstone pg status --json.
  root.fallthrough();

  register_pg_commands(root, context);
  register_db_commands(root, context);
  register_snapshot_commands(root, context);
  register_backup_commands(root, context);
  register_schema_commands(root, context);
  register_migrate_commands(root, context);
  register_restore_commands(root, context);
  register_drill_commands(root, context);
  register_generate_command(root, context);
  register_agent_commands(root, context);
  for (CLI::App* sub : root.get_subcommands([](const CLI::App*) { return true; }))
    sub->fallthrough();

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes from the back
  try {
    root.parse(reversed);
  } catch (const CLI::CallForHelp& help) {
    return root.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return root.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return root.exit(version);
  } catch (const CLI::ParseError& error) {
    bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    return usage_error(root, args, error, json);
  } catch (const ExitStatus& status) {
    return status.code;
  } catch (const Error& error) {
    print_error(error, context.json);
    return exit_code_for(error.kind());
  } catch (const std::exception& error) {
    print_error(Error(ErrorKind::Failure, error.what()), context.json);
    return exit_code_for(ErrorKind::Failure);
  }
  return 0;
}

}  // namespace soulstone::cli
