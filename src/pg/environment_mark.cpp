#include "pg/environment_mark.hpp"

namespace soulstone::pg {

std::string_view to_string(Environment environment) noexcept {
  switch (environment) {
    case Environment::Production:
      return "production";
    case Environment::Staging:
      return "staging";
    case Environment::Development:
      return "development";
  }
  return "development";
}

Environment parse_environment(std::string_view text) {
  for (auto candidate : {Environment::Production, Environment::Staging, Environment::Development})
    if (text == to_string(candidate)) return candidate;
  throw Error(ErrorKind::Input, "unknown environment mark '" + std::string(text) + "'",
              "use production, staging or development");
}

std::optional<Environment> read_mark(Connection& connection) {
  Result result = connection.exec("SELECT current_setting('soulstone.environment', true)");
  if (result.is_null(0, 0) || result.get(0, 0).empty()) return std::nullopt;
  return parse_environment(result.get(0, 0));
}

void write_mark(Connection& connection, Environment environment) {
  std::string database(connection.exec("SELECT current_database()").get(0, 0));
  // ALTER DATABASE takes no parameters; the value is one of three fixed words.
  std::string value(to_string(environment));
  connection.exec("ALTER DATABASE " + connection.quote_identifier(database) +
                  " SET soulstone.environment = '" + value + "'");
  connection.exec("SELECT set_config('soulstone.environment', $1, false)", {value});
}

void refuse_production(Connection& connection, std::string_view command, bool override_given) {
  if (override_given || read_mark(connection) != Environment::Production) return;
  throw Error(ErrorKind::Refused,
              std::string(command) + " refused: " + connection.display_url() + " is marked production",
              "nothing was changed; if you really mean it, pass --i-know-this-is-production");
}

}  // namespace soulstone::pg
