#pragma once
// The agent's configuration: the [agent] tables of soulstone.toml, with
// defaults for everything (docs/formats/agent-config.md specifies them).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "archive/zstd_sink.hpp"
#include "retention/retention.hpp"
#include "schedule/scheduler.hpp"

namespace soulstone::agent {

struct JobConfig {
  bool enabled = true;
  std::string schedule;  // a cron expression (validated by load_config)
  schedule::MissedPolicy missed = schedule::MissedPolicy::Skip;
};

struct HttpLimits {
  int threads = 8;                                 // connections served at once
  std::chrono::milliseconds header_timeout{5000};  // whole request line and headers
  std::chrono::milliseconds read_timeout{5000};    // each wait for body bytes
  std::chrono::milliseconds write_timeout{5000};   // each wait to send
  std::chrono::milliseconds idle_timeout{5000};    // a kept-alive connection between requests
  std::size_t max_header_bytes = 16 * 1024;        // request line and headers together
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_requests_per_connection = 1000;
};

// [agent.api]: the read API over the shop's data (src/api).
struct ApiConfig {
  bool enabled = true;     // served when a token is configured
  std::string token_file;  // a file holding the bearer token; SOULSTONE_API_TOKEN wins
  int page_size = 20;
  std::chrono::milliseconds statement_timeout{5000};
  std::size_t max_connections = 0;  // 0: as many as the HTTP server's threads
};

struct AgentConfig {
  std::string source = "(defaults)";  // where it was read from, for messages

  std::string listen = "127.0.0.1:9733";    // host:port; [v6]:port; port 0 picks a free one
  std::string time_zone = "UTC";            // of the cron expressions and of the retention calendar
  std::string store;                        // backup store URL; SOULSTONE_BACKUP_URL wins
  std::optional<std::string> database_url;  // DATABASE_URL wins; else the embedded server
  std::string state_file = ".soulstone/agent-state.json";
  std::string migrations = "apps/api/prisma/migrations";  // /readyz compares the history with it
  std::chrono::seconds shutdown_timeout{20};
  std::chrono::seconds max_backup_age{26 * 3600};  // /readyz and the check job

  JobConfig backup{true, "0 2 * * *", schedule::MissedPolicy::RunOnce};
  int zstd_level = archive::kDefaultZstdLevel;

  bool prune_enabled = true;  // after every successful backup
  retention::Policy retention;

  JobConfig check{true, "0 * * * *", schedule::MissedPolicy::Skip};
  bool check_verify = true;  // stream the newest backup back, not only read its manifest
  double min_size_ratio = 0.5;

  JobConfig drill{true, "@quarterly", schedule::MissedPolicy::RunOnce};
  std::string drill_schema = "apps/api/prisma/schema.prisma";  // for the schema-alignment check
  std::string drill_report = "docs/runbook.md";                // the runbook the findings go to
  bool drill_fresh_instance = false;                           // restore into a new embedded server

  std::chrono::seconds catalog_refresh{60};  // /readyz re-lists the store at most this often
  HttpLimits http;
  ApiConfig api;

  // Not from the file. serve_only (`soulstone agent --serve-only`): the HTTP
  // endpoints without any job or backup store. api_token: the secret that
  // resolve_api_token() found; never printed or logged.
  bool serve_only = false;
  std::string api_token;
  // The binary the drill job starts as the agent on the restored copy (the
  // CLI passes its own); empty: the drill's api phase is skipped.
  std::string agent_binary;
};

// Reads `path`. A missing file is an error when `required`, else the
// defaults. Every problem is Error(Input) naming file:line:col and the key.
[[nodiscard]] AgentConfig load_config(const std::filesystem::path& path, bool required);

// Sets config.api_token from SOULSTONE_API_TOKEN, else from api.token_file
// (its first line). Leaves it empty when neither is set or the API is
// disabled. Throws Error(Input) for an unreadable file or an unfit token.
void resolve_api_token(AgentConfig& config);

// "26h", "90m", "2d", "45s", "500ms"; throws Error(Input) naming `what`.
[[nodiscard]] std::chrono::milliseconds parse_duration(const std::string& text, const std::string& what);

// Splits "host:port" / "[v6]:port"; throws Error(Input).
struct ListenAddress {
  std::string host;
  int port = 0;
};
[[nodiscard]] ListenAddress parse_listen(const std::string& text);

}  // namespace soulstone::agent
