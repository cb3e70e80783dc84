#include "agent/config.hpp"

#include <toml++/toml.h>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>

#include "api/read_api.hpp"
#include "base/error.hpp"
#include "schedule/cron.hpp"
#include "schedule/zone.hpp"

namespace soulstone::agent {

namespace {

constexpr const char* kHint = "see docs/formats/agent-config.md for every key of [agent]";

std::string where(const std::string& file, const toml::source_region& region) {
  return file + ":" + std::to_string(region.begin.line) + ":" + std::to_string(region.begin.column);
}

// One table of the file: typed reads with messages that say where, and a
// final check that no unknown (misspelt) key was given.
class Section {
 public:
  Section(const toml::table& table, std::string path, const std::string& file)
      : table_(table), path_(std::move(path)), file_(file) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& message,
                         const std::string& hint = kHint) const {
    throw Error(ErrorKind::Input, where(file_, node.source()) + ": " + message, hint);
  }
  std::string name(const std::string& key) const { return path_ + "." + key; }

  const toml::node* get(const std::string& key) {
    known_.insert(key);
    return table_.get(key);
  }

  std::optional<std::string> string(const std::string& key) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) fail(*node, name(key) + " must be a string");
    return node->value<std::string>();
  }

  std::optional<bool> boolean(const std::string& key) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_boolean()) fail(*node, name(key) + " must be true or false");
    return node->value<bool>();
  }

  std::optional<long long> integer(const std::string& key, long long min, long long max) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    auto value = node->value_exact<std::int64_t>();
    if (!node->is_integer() || !value || *value < min || *value > max)
      fail(*node,
           name(key) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return *value;
  }

  std::optional<double> number(const std::string& key, double min, double max) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    auto value = node->value<double>();
    if (!(node->is_floating_point() || node->is_integer()) || !value || *value < min || *value > max)
      fail(*node, name(key) + " must be a number from " + std::to_string(min) + " to " + std::to_string(max));
    return *value;
  }

  template <class Duration>
  void duration(const std::string& key, Duration& out, std::chrono::milliseconds min) {
    auto text = string(key);
    if (!text) return;
    std::chrono::milliseconds value{};
    try {
      value = parse_duration(*text, name(key));
    } catch (const Error& error) {
      fail(*get(key), error.what(), error.hint());
    }
    if (value < min) fail(*get(key), name(key) + " must be at least " + std::to_string(min.count()) + " ms");
    out = std::chrono::duration_cast<Duration>(value);
  }

  std::optional<Section> section(const std::string& key) {
    const toml::node* node = get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_table()) fail(*node, name(key) + " must be a table ([" + name(key) + "])");
    return Section(*node->as_table(), name(key), file_);
  }

  // Unknown keys are errors: a misspelt key silently ignored would leave a
  // default schedule in force that the operator believes changed.
  void finish() const {
    for (auto&& [key, node] : table_) {
      if (known_.count(std::string(key.str())) != 0) continue;
      std::string valid;
      for (const auto& k : known_)
        valid += (valid.empty() ? "" : ", ") + k;
      throw Error(ErrorKind::Input,
                  where(file_, key.source()) + ": unknown key " + path_ + "." + std::string(key.str()),
                  "the keys of [" + path_ + "] are: " + valid);
    }
  }

 private:
  const toml::table& table_;
  std::string path_;
  const std::string& file_;
  std::set<std::string> known_;
};

void read_job(Section& section, JobConfig& job, bool has_schedule) {
  if (auto enabled = section.boolean("enabled")) job.enabled = *enabled;
  if (!has_schedule) return;
  if (auto text = section.string("schedule")) {
    try {
      (void)schedule::CronExpression::parse(*text);
    } catch (const Error& error) {
      section.fail(*section.get("schedule"), error.what(), error.hint());
    }
    job.schedule = *text;
  }
  if (auto missed = section.string("missed")) {
    if (*missed == "run-once")
      job.missed = schedule::MissedPolicy::RunOnce;
    else if (*missed == "skip")
      job.missed = schedule::MissedPolicy::Skip;
    else
      section.fail(
          *section.get("missed"), section.name("missed") + " must be \"run-once\" or \"skip\"",
          "run-once: one run as soon as possible stands for every missed fire; skip: wait for the next");
  }
}

void read_agent(Section& agent, AgentConfig& config) {
  if (auto v = agent.string("listen")) {
    try {
      (void)parse_listen(*v);
    } catch (const Error& error) {
      agent.fail(*agent.get("listen"), error.what(), error.hint());
    }
    config.listen = *v;
  }
  if (auto v = agent.string("time_zone")) {
    try {
      (void)schedule::TimeZone::load(*v);
    } catch (const Error& error) {
      agent.fail(*agent.get("time_zone"), error.what(), error.hint());
    }
    config.time_zone = *v;
  }
  if (auto v = agent.string("store")) config.store = *v;
  if (auto v = agent.string("database_url")) config.database_url = *v;
  if (auto v = agent.string("state_file")) config.state_file = *v;
  if (auto v = agent.string("migrations")) config.migrations = *v;
  agent.duration("shutdown_timeout", config.shutdown_timeout, std::chrono::seconds(1));
  agent.duration("max_backup_age", config.max_backup_age, std::chrono::minutes(1));
  agent.duration("catalog_refresh", config.catalog_refresh, std::chrono::seconds(1));

  if (auto backup = agent.section("backup")) {
    read_job(*backup, config.backup, true);
    if (auto level = backup->integer("zstd_level", 1, 19)) config.zstd_level = static_cast<int>(*level);
    backup->finish();
  }
  if (auto prune = agent.section("prune")) {
    if (auto enabled = prune->boolean("enabled")) config.prune_enabled = *enabled;
    if (auto v = prune->integer("daily", 0, 10000)) config.retention.daily = static_cast<int>(*v);
    if (auto v = prune->integer("monthly", 0, 10000)) config.retention.monthly = static_cast<int>(*v);
    if (auto v = prune->integer("yearly", 0, 1000)) config.retention.yearly = static_cast<int>(*v);
    prune->finish();
  }
  if (auto check = agent.section("check")) {
    read_job(*check, config.check, true);
    if (auto v = check->boolean("verify")) config.check_verify = *v;
    if (auto v = check->number("min_size_ratio", 0.0, 1.0)) config.min_size_ratio = *v;
    check->finish();
  }
  if (auto drill = agent.section("drill")) {
    read_job(*drill, config.drill, true);
    if (auto v = drill->string("schema")) config.drill_schema = *v;
    if (auto v = drill->string("report")) config.drill_report = *v;
    if (auto v = drill->boolean("fresh_instance")) config.drill_fresh_instance = *v;
    drill->finish();
  }
  if (auto http = agent.section("http")) {
    HttpLimits& l = config.http;
    if (auto v = http->integer("threads", 1, 256)) l.threads = static_cast<int>(*v);
    http->duration("header_timeout", l.header_timeout, std::chrono::milliseconds(100));
    http->duration("read_timeout", l.read_timeout, std::chrono::milliseconds(100));
    http->duration("write_timeout", l.write_timeout, std::chrono::milliseconds(100));
    http->duration("idle_timeout", l.idle_timeout, std::chrono::milliseconds(100));
    if (auto v = http->integer("max_header_bytes", 1024, 1 << 20))
      l.max_header_bytes = static_cast<std::size_t>(*v);
    if (auto v = http->integer("max_body_bytes", 0, 1 << 24)) l.max_body_bytes = static_cast<std::size_t>(*v);
    if (auto v = http->integer("max_requests_per_connection", 1, 1000000))
      l.max_requests_per_connection = static_cast<std::size_t>(*v);
    http->finish();
  }
  if (auto api = agent.section("api")) {
    ApiConfig& a = config.api;
    if (auto v = api->boolean("enabled")) a.enabled = *v;
    if (auto v = api->string("token_file")) a.token_file = *v;
    if (auto v = api->integer("page_size", 1, 100)) a.page_size = static_cast<int>(*v);
    api->duration("statement_timeout", a.statement_timeout, std::chrono::milliseconds(100));
    if (auto v = api->integer("max_connections", 0, 256)) a.max_connections = static_cast<std::size_t>(*v);
    api->finish();
  }
  agent.finish();
}

}  // namespace

void resolve_api_token(AgentConfig& config) {
  config.api_token.clear();
  if (!config.api.enabled) return;
  if (const char* env = std::getenv("SOULSTONE_API_TOKEN"); env != nullptr && *env != '\0') {
    config.api_token = env;
  } else if (!config.api.token_file.empty()) {
    std::ifstream file(config.api.token_file);
    if (!file)
      throw Error(ErrorKind::Input, "cannot read the read API's token file " + config.api.token_file,
                  "[agent.api] token_file must name a readable file holding the token on its first line");
    std::getline(file, config.api_token);
    while (!config.api_token.empty() && (config.api_token.back() == '\r' || config.api_token.back() == ' '))
      config.api_token.pop_back();
  } else {
    return;
  }
  api::check_token(config.api_token);
}

std::chrono::milliseconds parse_duration(const std::string& text, const std::string& what) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
    ++digits;
  std::string unit = text.substr(digits);
  long long scale = unit == "ms"  ? 1
                    : unit == "s" ? 1000
                    : unit == "m" ? 60'000
                    : unit == "h" ? 3'600'000
                    : unit == "d" ? 86'400'000
                                  : 0;
  if (digits == 0 || digits > 9 || scale == 0)
    throw Error(ErrorKind::Input, what + ": '" + text + "' is not a duration",
                "write a whole number with a unit: ms, s, m, h or d, e.g. \"26h\" or \"500ms\"");
  return std::chrono::milliseconds(std::stoll(text.substr(0, digits)) * scale);
}

ListenAddress parse_listen(const std::string& text) {
  auto bad = [&] {
    return Error(
        ErrorKind::Input, "'" + text + "' is not a listen address",
        "write host:port, e.g. \"127.0.0.1:9733\", \"[::1]:9733\" or \"0.0.0.0:9733\" (all interfaces)");
  };
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) throw bad();
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']' || host.size() < 3) throw bad();
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw bad();  // an IPv6 address must be bracketed
  }
  std::string port = text.substr(colon + 1);
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    throw bad();
  int number = std::stoi(port);
  if (number > 65535) throw bad();
  return {host, number};
}

AgentConfig load_config(const std::filesystem::path& path, bool required) {
  AgentConfig config;
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) {
    if (required)
      throw Error(ErrorKind::Input, "configuration file " + path.string() + " does not exist",
                  "create it (docs/formats/agent-config.md) or leave out --config to use the defaults");
    return config;
  }
  config.source = path.string();
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    throw Error(ErrorKind::Input,
                where(config.source, error.source()) + ": " + std::string(error.description()),
                "the file must be valid TOML (https://toml.io)");
  }
  // Other tools' tables may share the file; only [agent] is ours to judge.
  if (const toml::node* node = root.get("agent")) {
    if (!node->is_table())
      throw Error(ErrorKind::Input,
                  where(config.source, node->source()) + ": agent must be a table ([agent])", kHint);
    Section agent(*node->as_table(), "agent", config.source);
    read_agent(agent, config);
  }
  return config;
}

}  // namespace soulstone::agent
