#include "seed/config.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "base/error.hpp"

namespace soulstone::seed {

namespace {

constexpr const char* kHint = "see docs/formats/seed-toml.md";

std::string where(const std::string& path, const toml::source_region& region) {
  return path + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column);
}

[[noreturn]] void bad(const std::string& path, const toml::source_region& region, const std::string& what) {
  throw Error(ErrorKind::Input, where(path, region) + ": " + what, kHint);
}

std::int64_t micros_of(const toml::date& d, const toml::time* t) {
  std::int64_t days = days_from_civil(d.year, d.month, d.day);
  std::int64_t micros = days * 86400000000LL;
  if (t != nullptr)
    micros += ((t->hour * 60LL + t->minute) * 60 + t->second) * 1000000LL + t->nanosecond / 1000;
  return micros;
}

// A TOML value as a seeding value. Floats become decimals with the digits
// they print with (4.9 -> 4.9), so money stays exact.
Value to_value(const std::string& path, const toml::node& node) {
  if (auto v = node.value_exact<std::string>()) return Value::string(*v);
  if (auto v = node.value_exact<bool>()) return Value::boolean(*v);
  if (auto v = node.value_exact<std::int64_t>()) return Value::integer(*v);
  if (auto v = node.value_exact<double>()) {
    for (int scale = 0; scale <= 9; ++scale) {
      double scaled = *v * static_cast<double>(pow10(scale));
      if (std::fabs(scaled - std::round(scaled)) < 1e-6 * static_cast<double>(pow10(scale)))
        return Value::decimal(static_cast<std::int64_t>(std::llround(scaled)), scale);
    }
    return Value::floating(*v);
  }
  if (auto v = node.value_exact<toml::date_time>()) {
    if (v->offset && v->offset->minutes != 0) bad(path, node.source(), "date-times must be in UTC (Z)");
    return Value::timestamp(micros_of(v->date, &v->time));
  }
  if (auto v = node.value_exact<toml::date>()) return Value::timestamp(micros_of(*v, nullptr));
  if (const toml::array* array = node.as_array()) {
    Value out{.kind = Value::Kind::Array};
    for (const toml::node& item : *array)
      out.items.push_back(to_value(path, item));
    return out;
  }
  bad(path, node.source(), "expected a string, number, boolean, date-time or array");
}

double number(const std::string& path, const toml::node& node, const char* what) {
  if (auto v = node.value<double>()) return *v;
  bad(path, node.source(), std::string(what) + " must be a number");
}

std::string text(const std::string& path, const toml::node& node, const char* what) {
  if (auto v = node.value_exact<std::string>()) return *v;
  bad(path, node.source(), std::string(what) + " must be a string");
}

std::uint64_t whole(const std::string& path, const toml::node& node, const char* what) {
  auto v = node.value_exact<std::int64_t>();
  if (!v || *v < 0) bad(path, node.source(), std::string(what) + " must be a whole number, 0 or more");
  return static_cast<std::uint64_t>(*v);
}

double rate(const std::string& path, const toml::node& node, const char* what) {
  double r = number(path, node, what);
  if (r < 0 || r > 1) bad(path, node.source(), std::string(what) + " must be between 0 and 1");
  return r;
}

FieldRule field_rule(const std::string& path, const std::string& name, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr)
    bad(path, node.source(),
        "the rule of field '" + name + "' must be a table, e.g. { value = ... } or { expr = \"...\" }");
  FieldRule rule;
  rule.where = where(path, node.source());
  int makers = 0;
  for (const auto& [key_node, value] : *table) {
    std::string key(key_node.str());
    if (key == "value") {
      rule.value = to_value(path, value), ++makers;
    } else if (key == "expr") {
      rule.expr = text(path, value, "expr"), ++makers;
    } else if (key == "generator") {
      rule.generator = text(path, value, "generator"), ++makers;
    } else if (key == "null_rate") {
      rule.null_rate = rate(path, value, "null_rate");
    } else if (key == "min") {
      rule.min = to_value(path, value);
    } else if (key == "max") {
      rule.max = to_value(path, value);
    } else if (key == "one_of") {
      const toml::array* items = value.as_array();
      if (items == nullptr || items->empty()) bad(path, value.source(), "one_of must be a non-empty array");
      for (const toml::node& item : *items)
        rule.choices.emplace_back(to_value(path, item), 1.0);
      ++makers;
    } else if (key == "weights") {
      const toml::table* weights = value.as_table();
      if (weights == nullptr || weights->empty())
        bad(path, value.source(),
            "weights must be a table of value = weight, e.g. { CUSTOMER = 9, ADMIN = 1 }");
      for (const auto& [choice, weight] : *weights) {
        double w = number(path, weight, "a weight");
        if (w < 0) bad(path, weight.source(), "weights must not be negative");
        rule.choices.emplace_back(Value::string(std::string(choice.str())), w);
      }
      ++makers;
    } else {
      bad(path, key_node.source(),
          "unknown key '" + key + "' in the rule of field '" + name +
              "'; expected value, expr, generator, one_of, weights, min, max or null_rate");
    }
  }
  if (makers > 1)
    bad(path, node.source(),
        "field '" + name + "' has more than one of value, expr, generator, one_of and weights");
  return rule;
}

ModelRule model_rule(const std::string& path, const std::string& name, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) bad(path, node.source(), "[models." + name + "] must be a table");
  ModelRule rule;
  rule.where = where(path, node.source());
  for (const auto& [key_node, value] : *table) {
    std::string key(key_node.str());
    if (key == "count") {
      rule.count = number(path, value, "count");
      if (*rule.count < 0) bad(path, value.source(), "count must not be negative");
    } else if (key == "per") {
      rule.per = text(path, value, "per");
    } else if (key == "min") {
      rule.min = whole(path, value, "min");
    } else if (key == "max") {
      rule.max = whole(path, value, "max");
    } else if (key == "fields") {
      const toml::table* fields = value.as_table();
      if (fields == nullptr) bad(path, value.source(), "fields must be a table");
      for (const auto& [field, spec] : *fields)
        rule.fields.emplace(std::string(field.str()), field_rule(path, std::string(field.str()), spec));
    } else {
      bad(path, key_node.source(),
          "unknown key '" + key + "' in [models." + name + "]; expected count, per, min, max or fields");
    }
  }
  if (!rule.per.empty() && rule.count)
    bad(path, node.source(),
        "[models." + name + "] has both count and per; a nested model's count follows its parents");
  if (rule.per.empty() && (rule.min || rule.max))
    bad(path, node.source(), "[models." + name + "] has min/max without per (rows per parent row)");
  if (rule.min && rule.max && *rule.min > *rule.max)
    bad(path, node.source(), "[models." + name + "] has min greater than max");
  return rule;
}

std::int64_t timestamp_setting(const std::string& path, const toml::node& node, const char* what) {
  Value v = to_value(path, node);
  std::int64_t micros = 0;
  if (v.kind == Value::Kind::Timestamp) return v.i;
  if (v.kind == Value::Kind::String && parse_timestamp(v.s, micros)) return micros;
  bad(path, node.source(), std::string(what) + " must be a UTC date or date-time, e.g. 2024-01-01");
}

}  // namespace

Config::Config() {
  start = days_from_civil(2024, 1, 1) * 86400000000LL;
  end = days_from_civil(2026, 1, 1) * 86400000000LL;
}

Config parse_config(std::string_view text_view, const std::string& path) {
  Config config;
  config.path = path;
  toml::table root;
  try {
    root = toml::parse(text_view, path);
  } catch (const toml::parse_error& error) {
    bad(path, error.source(), std::string(error.description()));
  }
  for (const auto& [key_node, value] : root) {
    std::string key(key_node.str());
    if (key == "seed") {
      config.seed = whole(path, value, "seed");
    } else if (key == "defaults") {
      const toml::table* defaults = value.as_table();
      if (defaults == nullptr) bad(path, value.source(), "[defaults] must be a table");
      for (const auto& [name_node, setting] : *defaults) {
        std::string name(name_node.str());
        if (name == "count")
          config.default_count = number(path, setting, "count");
        else if (name == "null_rate")
          config.null_rate = rate(path, setting, "null_rate");
        else if (name == "default_rate")
          config.default_rate = rate(path, setting, "default_rate");
        else if (name == "start")
          config.start = timestamp_setting(path, setting, "start");
        else if (name == "end")
          config.end = timestamp_setting(path, setting, "end");
        else
          bad(path, name_node.source(),
              "unknown key '" + name +
                  "' in [defaults]; expected count, null_rate, default_rate, start or end");
      }
    } else if (key == "models") {
      const toml::table* models = value.as_table();
      if (models == nullptr) bad(path, value.source(), "[models] must be a table of [models.<Model>] tables");
      for (const auto& [name, spec] : *models)
        config.models.emplace(std::string(name.str()), model_rule(path, std::string(name.str()), spec));
    } else {
      bad(path, key_node.source(),
          "unknown key '" + key + "'; expected seed, [defaults] or [models.<Model>]");
    }
  }
  if (config.end <= config.start)
    throw Error(ErrorKind::Input, path + ": [defaults] end must be after start", kHint);
  return config;
}

Config load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) return Config{};
    throw Error(ErrorKind::Input, "cannot read " + path.string() + ": " + errno_text(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path.string());
}

std::optional<std::string> configured_environment(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return std::nullopt;
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    bad(file.string(), error.source(), std::string(error.description()));
  }
  const toml::node* node = root.get("environment");
  if (node == nullptr) return std::nullopt;
  auto text = node->value_exact<std::string>();
  if (!text || (*text != "production" && *text != "staging" && *text != "development"))
    bad(file.string(), node->source(), "environment must be \"production\", \"staging\" or \"development\"");
  return text;
}

}  // namespace soulstone::seed
