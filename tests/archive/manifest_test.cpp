#include "archive/manifest.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace soulstone::archive {
namespace {

Manifest sample() {
  Manifest m;
  m.id = "soulstone-20261124-020000";
  m.database = "soulstone";
  m.server_version = 150018;
  m.pg_dump_version = "pg_dump (PostgreSQL) 15.18";
  m.started_at = *parse_utc("2026-11-24T02:00:00Z");
  m.finished_at = *parse_utc("2026-11-24T02:00:42Z");
  m.archive_key = "nightly/soulstone-20261124-020000.dump.zst";
  m.stored_size = 1234;
  m.stored_sha256 = std::string(64, 'a');
  m.dump_size = 5678;
  m.dump_sha256 = std::string(64, 'b');
  m.encryption_key_id = "0123456789abcdef";
  m.tables = {{"public", "orders", 20000, "123456789012345678901"}, {"public", "users", 5000, "-42"}};
  m.migrations = {{"20261101000000_init", std::string(64, 'c'), "2026-11-01 00:00:01+00"}};
  return m;
}

TEST(Manifest, RoundTripsThroughJson) {
  Manifest m = sample();
  std::string text = to_json(m);
  Manifest back = manifest_from_json(text, "test");
  EXPECT_EQ(to_json(back), text);
  EXPECT_EQ(back.rows_total(), 25000);
  EXPECT_EQ(back.encryption_key_id, "0123456789abcdef");
  EXPECT_NE(text.find("\"format\": \"soulstone-backup-manifest\""), std::string::npos);
  EXPECT_NE(text.find("\"finished_at\": \"2026-11-24T02:00:42Z\""), std::string::npos);
}

TEST(Manifest, RefusesWhatItCannotTrust) {
  auto message = [](const std::string& text) {
    try {
      (void)manifest_from_json(text, "nightly/x.manifest.json");
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("{not json"), "manifest nightly/x.manifest.json is unusable: not a JSON object");
  EXPECT_EQ(message(R"({"format":"other"})"),
            "manifest nightly/x.manifest.json is unusable: not a soulstone backup manifest");
  EXPECT_EQ(message(R"({"format":"soulstone-backup-manifest","version":2})"),
            "manifest nightly/x.manifest.json is unusable: format version 2 is not supported (1 is)");
  std::string without_sha = to_json(sample());
  without_sha.replace(without_sha.find("\"stored_sha256\""), 15, "\"stored_sha999\"");
  EXPECT_NE(message(without_sha).find("stored_sha256"), std::string::npos) << message(without_sha);
}

TEST(UtcTimes, ParseOnlyStrictRfc3339Utc) {
  EXPECT_EQ(format_utc(*parse_utc("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59Z");
  EXPECT_FALSE(parse_utc("2025-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_utc("2026-11-24T02:00:00+01:00"));
  EXPECT_FALSE(parse_utc("2026-11-24 02:00:00Z"));
}

}  // namespace
}  // namespace soulstone::archive
