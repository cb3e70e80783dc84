// The [drill] section of soulstone.toml (docs/operations.md shows an example):
//   [drill]
//   health_url = "http://127.0.0.1:3000/healthz"
//   [[drill.smoke]]
//   name = "every order has an item"
//   sql = "SELECT count(*) FROM \"Order\" o WHERE NOT EXISTS (...)"
//   expect = "0"            # or min_rows = 1

#include <toml++/toml.h>

#include "base/error.hpp"
#include "drill/drill.hpp"

namespace soulstone::drill {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad(const fs::path& file, const toml::source_region& where, const std::string& what) {
  throw Error(ErrorKind::Input,
              file.string() + ":" + std::to_string(where.begin.line) + ":" +
                  std::to_string(where.begin.column) + ": " + what,
              "see the [drill] section in docs/operations.md");
}

SmokeQuery smoke_query(const fs::path& file, const toml::table& entry) {
  SmokeQuery query;
  auto name = entry["name"].value<std::string>();
  auto sql = entry["sql"].value<std::string>();
  if (!name || name->empty()) bad(file, entry.source(), "a [[drill.smoke]] entry needs a name (a string)");
  if (!sql || sql->empty()) bad(file, entry.source(), "the smoke query '" + *name + "' needs sql (a string)");
  query.name = *name;
  query.sql = *sql;
  if (const toml::node* expect = entry.get("expect")) {
    if (auto text = expect->value<std::string>())
      query.expect = *text;
    else if (auto number = expect->value<long long>())
      query.expect = std::to_string(*number);
    else
      bad(file, expect->source(), "expect of '" + *name + "' must be a string or an integer");
  }
  if (const toml::node* min_rows = entry.get("min_rows")) {
    auto number = min_rows->value<long long>();
    if (!number || *number < 0)
      bad(file, min_rows->source(), "min_rows of '" + *name + "' must be a whole number");
    query.min_rows = *number;
  }
  for (const auto& [key, value] : entry) {
    (void)value;
    if (key != "name" && key != "sql" && key != "expect" && key != "min_rows")
      bad(file, key.source(), "unknown key '" + std::string(key.str()) + "' in a [[drill.smoke]] entry");
  }
  return query;
}

}  // namespace

void load_config(const fs::path& file, Options& options) {
  if (!fs::exists(file)) return;
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    bad(file, error.source(), std::string(error.description()));
  }
  const toml::table* drill = root["drill"].as_table();
  if (drill == nullptr) return;
  if (const toml::node* url = drill->get("health_url")) {
    auto text = url->value<std::string>();
    if (!text) bad(file, url->source(), "health_url must be a string");
    if (options.health_url.empty()) options.health_url = *text;  // the flag wins
  }
  if (const toml::node* smoke = drill->get("smoke")) {
    const toml::array* entries = smoke->as_array();
    if (entries == nullptr) bad(file, smoke->source(), "smoke must be an array of tables ([[drill.smoke]])");
    for (const toml::node& entry : *entries) {
      if (!entry.is_table()) bad(file, entry.source(), "each [[drill.smoke]] entry must be a table");
      options.smoke.push_back(smoke_query(file, *entry.as_table()));
    }
  }
  for (const auto& [key, value] : *drill) {
    (void)value;
    if (key != "health_url" && key != "smoke")
      bad(file, key.source(), "unknown key '" + std::string(key.str()) + "' in [drill]");
  }
}

}  // namespace soulstone::drill
