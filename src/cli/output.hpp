#pragma once
// Output for people and for scripts: with --json, exactly one JSON document
// on stdout; otherwise text. Errors go to stderr in both modes.

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

#include "base/error.hpp"

namespace soulstone::cli {

inline void print_json(const nlohmann::json& document) { std::cout << document.dump(2) << '\n'; }

// One line on stderr (or one JSON object with --json).
void print_error(const Error& error, bool json);

}  // namespace soulstone::cli
