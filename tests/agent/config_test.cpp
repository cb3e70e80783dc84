// The [agent] tables of soulstone.toml: every key read, defaults kept,
// and each mistake refused with file:line:col, the key and what to write.
#include "agent/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"

namespace soulstone::agent {
namespace {

using namespace std::chrono_literals;

class ConfigTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    std::filesystem::path path = dir_.path() / "soulstone.toml";
    std::ofstream(path) << text;
    return path;
  }
  TempDir dir_{"soulstone-config"};
};

TEST_F(ConfigTest, DefaultsWhenTheFileIsAbsentAndNotRequired) {
  AgentConfig config = load_config(dir_.path() / "missing.toml", false);
  EXPECT_EQ(config.source, "(defaults)");
  EXPECT_EQ(config.listen, "127.0.0.1:9733");
  EXPECT_EQ(config.backup.schedule, "0 2 * * *");
  EXPECT_EQ(config.backup.missed, schedule::MissedPolicy::RunOnce);
  EXPECT_EQ(config.check.schedule, "0 * * * *");
  EXPECT_EQ(config.check.missed, schedule::MissedPolicy::Skip);
  EXPECT_EQ(config.drill.schedule, "@quarterly");
  EXPECT_TRUE(config.prune_enabled);
  EXPECT_EQ(config.retention.daily, 30);
  EXPECT_EQ(config.max_backup_age, 26h);
  EXPECT_EQ(config.time_zone, "UTC");
  try {
    (void)load_config(dir_.path() / "missing.toml", true);
    ADD_FAILURE() << "a required file may not be missing";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_NE(std::string(error.what()).find("missing.toml does not exist"), std::string::npos);
  }
}

TEST_F(ConfigTest, ReadsEveryKey) {
  AgentConfig config = load_config(write(R"(
# other tools' tables are left alone
[seed]
scale = 2

[agent]
listen = "[::1]:9100"
time_zone = "Europe/Berlin"
store = "file:///srv/backups"
database_url = "postgresql://ops@db/soulstone"
state_file = "/var/lib/soulstone/agent.json"
shutdown_timeout = "45s"
max_backup_age = "30h"
catalog_refresh = "2m"

[agent.backup]
schedule = "30 1 * * *"
missed = "skip"
zstd_level = 9

[agent.prune]
enabled = false
daily = 7
monthly = 6
yearly = 1

[agent.check]
schedule = "*/15 * * * *"
missed = "run-once"
verify = false
min_size_ratio = 0.25

[agent.drill]
enabled = false
schedule = "0 4 1 */3 *"

[agent.http]
threads = 4
header_timeout = "2s"
read_timeout = "3s"
write_timeout = "4s"
idle_timeout = "500ms"
max_header_bytes = 4096
max_body_bytes = 0
max_requests_per_connection = 10
)"),
                                   true);
  EXPECT_EQ(config.listen, "[::1]:9100");
  EXPECT_EQ(config.time_zone, "Europe/Berlin");
  EXPECT_EQ(config.store, "file:///srv/backups");
  EXPECT_EQ(config.database_url, "postgresql://ops@db/soulstone");
  EXPECT_EQ(config.state_file, "/var/lib/soulstone/agent.json");
  EXPECT_EQ(config.shutdown_timeout, 45s);
  EXPECT_EQ(config.max_backup_age, 30h);
  EXPECT_EQ(config.catalog_refresh, 120s);
  EXPECT_EQ(config.backup.schedule, "30 1 * * *");
  EXPECT_EQ(config.backup.missed, schedule::MissedPolicy::Skip);
  EXPECT_EQ(config.zstd_level, 9);
  EXPECT_FALSE(config.prune_enabled);
  EXPECT_EQ(config.retention.daily, 7);
  EXPECT_EQ(config.retention.monthly, 6);
  EXPECT_EQ(config.retention.yearly, 1);
  EXPECT_EQ(config.check.schedule, "*/15 * * * *");
  EXPECT_EQ(config.check.missed, schedule::MissedPolicy::RunOnce);
  EXPECT_FALSE(config.check_verify);
  EXPECT_DOUBLE_EQ(config.min_size_ratio, 0.25);
  EXPECT_FALSE(config.drill.enabled);
  EXPECT_EQ(config.http.threads, 4);
  EXPECT_EQ(config.http.header_timeout, 2s);
  EXPECT_EQ(config.http.read_timeout, 3s);
  EXPECT_EQ(config.http.write_timeout, 4s);
  EXPECT_EQ(config.http.idle_timeout, 500ms);
  EXPECT_EQ(config.http.max_header_bytes, 4096U);
  EXPECT_EQ(config.http.max_body_bytes, 0U);
  EXPECT_EQ(config.http.max_requests_per_connection, 10U);
}

struct BadConfig {
  const char* text;
  const char* message;  // a part of the error, with its position
};

TEST_F(ConfigTest, RefusesMistakesWithTheirPosition) {
  const BadConfig cases[] = {
      {"[agent]\nlisten = 9733\n", "soulstone.toml:2:10: agent.listen must be a string"},
      {"[agent]\nlisten = \"localhost\"\n", "soulstone.toml:2:10: 'localhost' is not a listen address"},
      {"[agent]\nlisten = \"::1:80\"\n", "is not a listen address"},
      {"[agent]\nlisten = \"127.0.0.1:99999\"\n", "is not a listen address"},
      {"[agent]\ntime_zone = \"Mars/Base\"\n", "soulstone.toml:2:13: unknown time zone 'Mars/Base'"},
      {"[agent]\nshedule = 1\n", "soulstone.toml:2:1: unknown key agent.shedule"},
      {"[agent.backup]\nschedule = \"0 25 * * *\"\n",
       "soulstone.toml:2:12: cron expression '0 25 * * *': hour field '25' has 25, out of range 0-23"},
      {"[agent.check]\nmissed = \"later\"\n", "agent.check.missed must be \"run-once\" or \"skip\""},
      {"[agent.check]\nverify = \"yes\"\n", "agent.check.verify must be true or false"},
      {"[agent.check]\nmin_size_ratio = 2\n", "agent.check.min_size_ratio must be a number from 0"},
      {"[agent.backup]\nzstd_level = 0\n", "agent.backup.zstd_level must be a whole number from 1 to 19"},
      {"[agent]\nmax_backup_age = \"26 hours\"\n", "agent.max_backup_age: '26 hours' is not a duration"},
      {"[agent]\nmax_backup_age = \"26\"\n", "agent.max_backup_age: '26' is not a duration"},
      {"[agent]\nshutdown_timeout = \"0s\"\n", "agent.shutdown_timeout must be at least 1000 ms"},
      {"[agent.http]\nthreads = 0\n", "agent.http.threads must be a whole number from 1 to 256"},
      {"[agent.prune]\nweekly = 4\n", "unknown key agent.prune.weekly"},
      {"[agent]\nbackup = 1\n", "agent.backup must be a table"},
      {"agent = \"on\"\n", "agent must be a table"},
      {"[agent\nlisten = 1\n", "soulstone.toml:1:"},
  };
  for (const auto& c : cases) {
    try {
      (void)load_config(write(c.text), true);
      ADD_FAILURE() << "accepted:\n" << c.text;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Input) << c.text;
      EXPECT_NE(std::string(error.what()).find(c.message), std::string::npos) << c.text << "\n"
                                                                              << error.what();
      EXPECT_FALSE(error.hint().empty()) << c.text;
    }
  }
}

TEST_F(ConfigTest, UnknownKeysNameTheValidOnes) {
  try {
    (void)load_config(write("[agent.backup]\nshedule = \"@daily\"\n"), true);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_NE(error.hint().find("enabled, missed, schedule, zstd_level"), std::string::npos) << error.hint();
  }
}

TEST(Config, ParsesDurationsAndAddresses) {
  EXPECT_EQ(parse_duration("500ms", "x"), 500ms);
  EXPECT_EQ(parse_duration("45s", "x"), 45s);
  EXPECT_EQ(parse_duration("90m", "x"), 90min);
  EXPECT_EQ(parse_duration("26h", "x"), 26h);
  EXPECT_EQ(parse_duration("2d", "x"), 48h);
  for (const char* bad : {"", "h", "-1h", "1.5h", "1 h", "1w", "9999999999s"})
    EXPECT_THROW((void)parse_duration(bad, "x"), Error) << bad;
  EXPECT_EQ(parse_listen("127.0.0.1:9733").host, "127.0.0.1");
  EXPECT_EQ(parse_listen("127.0.0.1:9733").port, 9733);
  EXPECT_EQ(parse_listen("[::1]:0").host, "::1");
  EXPECT_EQ(parse_listen("0.0.0.0:80").port, 80);
  for (const char* bad : {"", ":80", "host:", "host:x", "[::1:80", "::1:80", "h:123456"})
    EXPECT_THROW((void)parse_listen(bad), Error) << bad;
}

}  // namespace
}  // namespace soulstone::agent

namespace soulstone::agent {
namespace {

// [agent.api] and the token: the environment wins over the file, the file's
// first line is the token, and a weak token is refused before anything listens.
class ApiConfigTest : public ConfigTest {
 protected:
  void SetUp() override { ::unsetenv("SOULSTONE_API_TOKEN"); }
  void TearDown() override { ::unsetenv("SOULSTONE_API_TOKEN"); }
};

TEST_F(ApiConfigTest, ReadsTheApiTableAndResolvesTheTokenEnvironmentFirst) {
  std::ofstream(dir_.path() / "token") << "file-token-0123456789abcdef\r\nsecond line ignored\n";
  AgentConfig config =
      load_config(write("[agent.api]\ntoken_file = \"" + (dir_.path() / "token").string() +
                        "\"\npage_size = 50\nstatement_timeout = \"2s\"\nmax_connections = 4\n"),
                  true);
  EXPECT_EQ(config.api.page_size, 50);
  EXPECT_EQ(config.api.statement_timeout, 2s);
  EXPECT_EQ(config.api.max_connections, 4u);
  resolve_api_token(config);
  EXPECT_EQ(config.api_token, "file-token-0123456789abcdef");
  ::setenv("SOULSTONE_API_TOKEN", "env-token-0123456789abcdef", 1);
  resolve_api_token(config);
  EXPECT_EQ(config.api_token, "env-token-0123456789abcdef");

  AgentConfig none = load_config(dir_.path() / "missing.toml", false);
  ::unsetenv("SOULSTONE_API_TOKEN");
  resolve_api_token(none);
  EXPECT_TRUE(none.api_token.empty());  // no token: the API is off
}

TEST_F(ApiConfigTest, RefusesAWeakTokenAMissingFileAndABadPageSize) {
  ::setenv("SOULSTONE_API_TOKEN", "xyzzy", 1);
  AgentConfig config;
  try {
    resolve_api_token(config);
    ADD_FAILURE() << "a 5-character token guards nothing";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_STREQ(error.what(), "the read API's token is shorter than 16 characters");
    EXPECT_EQ(std::string(error.what()).find("xyzzy"), std::string::npos);  // the token itself is never shown
  }
  ::unsetenv("SOULSTONE_API_TOKEN");
  config.api.token_file = (dir_.path() / "absent").string();
  EXPECT_THROW(resolve_api_token(config), Error);
  try {
    (void)load_config(write("[agent.api]\npage_size = 1000\n"), true);
    ADD_FAILURE() << "page_size is at most 100";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what())
                  .find("soulstone.toml:2:13: agent.api.page_size must be a whole number from 1 to 100"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace soulstone::agent

namespace soulstone::agent {
namespace {

TEST_F(ConfigTest, ReadsTheDrillJobAndTheMigrationsFolder) {
  AgentConfig config = load_config(write(R"(
[agent]
migrations = "db/migrations"

[agent.drill]
schedule = "0 3 1 */3 *"
schema = "db/schema.prisma"
report = "ops/runbook.md"
fresh_instance = true
)"),
                                   true);
  EXPECT_EQ(config.migrations, "db/migrations");
  EXPECT_EQ(config.drill.schedule, "0 3 1 */3 *");
  EXPECT_EQ(config.drill_schema, "db/schema.prisma");
  EXPECT_EQ(config.drill_report, "ops/runbook.md");
  EXPECT_TRUE(config.drill_fresh_instance);
  AgentConfig defaults;
  EXPECT_EQ(defaults.migrations, "apps/api/prisma/migrations");
  EXPECT_EQ(defaults.drill_report, "docs/runbook.md");
  EXPECT_FALSE(defaults.drill_fresh_instance);
}

}  // namespace
}  // namespace soulstone::agent
