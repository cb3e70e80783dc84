#pragma once
// The environment mark of a database: a database-level setting
// (soulstone.environment) that lives in the database itself, so every tool
// and every machine that connects sees it. Destructive commands (seed,
// reset, restore --clean) refuse a database marked production.

#include <optional>
#include <string>
#include <string_view>

#include "pg/connection.hpp"

namespace soulstone::pg {

enum class Environment { Production, Staging, Development };

[[nodiscard]] std::string_view to_string(Environment environment) noexcept;
// Throws Error(Input) for anything but production, staging or development.
[[nodiscard]] Environment parse_environment(std::string_view text);

// The mark of the connected database, as seen by this session; nullopt when
// the database carries none.
[[nodiscard]] std::optional<Environment> read_mark(Connection& connection);

// Sets the mark on the connected database (ALTER DATABASE ... SET). It takes
// effect for new sessions; read_mark on this connection sees it at once.
void write_mark(Connection& connection, Environment environment);

// Throws Error(Refused) when the database is marked production, unless the
// operator passed the override. `command` names what was refused.
void refuse_production(Connection& connection, std::string_view command, bool override_given);

}  // namespace soulstone::pg
