// The drill's api phase (issue 9, point 2): a backup of a seeded Soulstone
// database is restored, an agent is started on the copy from the soulstone
// binary, its read API is called, and the report lists each call with its
// status and latency; an agent that cannot start fails the phase by name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backup/backup.hpp"
#include "base/temp_dir.hpp"
#include "drill/drill.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"
#include "seeded_shop.hpp"
#include "store/store.hpp"

namespace soulstone::drill {
namespace {

class DrillApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = soulstone::testing::seeded_shop(0.1);
    (void)backup::run(*store_, source_, {});
  }
  Report drill(std::filesystem::path agent) {
    return run(*store_, soulstone::testing::postgres(), std::nullopt,
               {.schema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma",
                .migrations = SOULSTONE_SOURCE_DIR "/apps/api/prisma/migrations",
                .agent_binary = std::move(agent)});
  }

  TempDir dir_{"soulstone-test-drill-api-"};
  std::unique_ptr<store::ObjectStore> store_ =
      store::open_store("file://" + (dir_.path() / "store").string());
  pg::ConnInfo source_;
};

TEST_F(DrillApiTest, CallsTheReadApiOfAnAgentOnTheCopyAndListsTheCalls) {
  Report report = drill(SOULSTONE_BINARY);
  std::vector<std::string> api;
  for (const Check& check : report.checks)
    if (check.phase == "api") {
      EXPECT_EQ(check.status, Status::Passed) << check.name << ": " << check.detail;
      api.push_back(check.name);
    }
  pg::Connection source = pg::Connection::open(source_);
  std::string slug(
      source.exec("SELECT slug FROM products WHERE status = 'ACTIVE' ORDER BY created_at DESC, id LIMIT 1")
          .get(0, 0));
  std::string collection(
      source.exec("SELECT slug FROM collections ORDER BY position, slug LIMIT 1").get(0, 0));
  std::string order(source.exec("SELECT id FROM orders ORDER BY placed_at DESC, id LIMIT 1").get(0, 0));
  EXPECT_EQ(api, (std::vector<std::string>{"GET /healthz", "GET /api/products", "GET /api/products",
                                           "GET /api/products/" + slug, "GET /api/collections",
                                           "GET /api/products?collection=" + collection,
                                           "GET /api/orders/" + order}));
  ASSERT_EQ(report.api_calls.size(), 7u);
  EXPECT_EQ(report.api_calls[1].status, 401);  // the token is enforced on the copy too
  for (const ApiCall& call : report.api_calls) {
    EXPECT_GT(call.milliseconds, 0) << call.path;
    EXPECT_LT(call.milliseconds, 5000) << call.path;
  }
  std::vector<std::string> phases;
  for (const auto& phase : report.phases)
    phases.push_back(phase.name);
  EXPECT_EQ(phases,
            (std::vector<std::string>{"provision", "restore", "verify", "api", "health", "clean-up"}));
  EXPECT_EQ(report.verdict(), Status::Passed) << to_markdown(report);

  std::string markdown = to_markdown(report);
  EXPECT_NE(markdown.find("| GET /api/orders/" + order + " | 200 | "), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| GET /api/products | 401 | "), std::string::npos) << markdown;
  auto json = nlohmann::json::parse(to_json(report));
  EXPECT_EQ(json["api_calls"].size(), 7u);
  EXPECT_EQ(json["api_calls"][2]["path"], "/api/products");
  EXPECT_EQ(json["api_calls"][2]["status"], 200);
  // The one-off token is in no part of the report.
  EXPECT_EQ(markdown.find("Bearer"), std::string::npos);
}

TEST_F(DrillApiTest, AnAgentThatDoesNotStartFailsThePhase) {
  Report report = drill("/bin/false");
  const Check* api = nullptr;
  for (const Check& check : report.checks)
    if (check.phase == "api") api = &check;
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->name, "read API");
  EXPECT_EQ(api->status, Status::Failed);
  EXPECT_EQ(api->detail, "the agent did not start listening on the copy: (no output)");
  EXPECT_TRUE(report.api_calls.empty());
  EXPECT_EQ(report.verdict(), Status::Failed);
}

}  // namespace
}  // namespace soulstone::drill
