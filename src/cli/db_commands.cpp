// soulstone db mark: the database's own environment mark.

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"

namespace soulstone::cli {

void register_db_commands(CLI::App& root, Context& context) {
  CLI::App* group = root.add_subcommand("db", "Operations on the database itself");
  group->require_subcommand(1);

  auto mark = std::make_shared<std::string>();  // outlives parsing: the callback reads it
  CLI::App* mark_command = group->add_subcommand(
      "mark", "Show the database's environment mark, or set it: production, staging or development");
  mark_command->add_option("environment", *mark, "The mark to set (omit to show the current one)")
      ->check(CLI::IsMember({"production", "staging", "development"}));
  mark_command->callback([&context, mark] {
    pg::Connection connection = pg::Connection::open(context.database());
    if (!mark->empty()) pg::write_mark(connection, pg::parse_environment(*mark));
    auto current = pg::read_mark(connection);
    std::string text = current ? std::string(pg::to_string(*current)) : "";
    if (context.json)
      return print_json({{"database", connection.display_url()},
                         {"environment", current ? nlohmann::json(text) : nlohmann::json(nullptr)}});
    std::cout << connection.display_url() << ": " << (current ? text : "no mark") << '\n';
  });

  register_seed_command(*group, context);
}

}  // namespace soulstone::cli
