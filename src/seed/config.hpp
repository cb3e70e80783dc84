#pragma once
// seed.toml: fixture counts and per-field rules (docs/formats/seed-toml.md
// specifies the format). Every key is optional; a missing file means the
// defaults, which seed any schema.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "seed/value.hpp"

namespace soulstone::seed {

// How one field (column) is made, overriding the generic choice.
struct FieldRule {
  std::optional<Value> value;                     // a constant
  std::string expr;                               // an expression (docs/formats/seed-toml.md)
  std::string generator;                          // a built-in generator by name ("email", "words"...)
  std::optional<double> null_rate;                // for nullable columns
  std::optional<Value> min, max;                  // range of numbers or timestamps
  std::vector<std::pair<Value, double>> choices;  // one_of (weight 1 each) or weights
  std::string where;                              // "seed.toml:12:1", for messages
};

struct ModelRule {
  std::optional<double> count;              // rows before --scale
  std::string per;                          // relation field (or key column) to nest under
  std::optional<std::uint64_t> min, max;    // rows per parent row when nested
  std::map<std::string, FieldRule> fields;  // by field name (or column name)
  std::string where;
};

struct Config {
  std::string path;  // empty when built from defaults
  std::optional<std::uint64_t> seed;
  double default_count = 100;  // rows of a model without a count, before --scale
  double null_rate = 0.2;      // of nullable columns without a rule
  double default_rate = 0.5;   // how often a column with a constant default gets it
  std::int64_t start = 0;      // the window of generated timestamps (microseconds)
  std::int64_t end = 0;
  std::map<std::string, ModelRule> models;  // by model name (or table name for join tables)

  Config();  // the defaults: 2024-01-01 to 2026-01-01
};

// Parses seed.toml text; `path` names it in messages. Throws Error(Input)
// with path:line:column for syntax errors, unknown keys and bad values.
[[nodiscard]] Config parse_config(std::string_view text, const std::string& path);
// Reads the file; a missing file gives the defaults.
[[nodiscard]] Config load_config(const std::filesystem::path& path);

// The `environment` of soulstone.toml (production, staging or
// development); nullopt when the file or the key is absent. Throws
// Error(Input) for anything else.
[[nodiscard]] std::optional<std::string> configured_environment(const std::filesystem::path& soulstone_toml);

}  // namespace soulstone::seed
