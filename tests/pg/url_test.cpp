#include "pg/url.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

namespace soulstone::pg {

TEST(ConnInfo, ParsesAUri) {
  auto info = ConnInfo::parse("postgresql://shop:s3cret@db.example.com:6432/soulstone?sslmode=require");
  EXPECT_EQ(info.get("user"), "shop");
  EXPECT_EQ(info.get("password"), "s3cret");
  EXPECT_EQ(info.get("host"), "db.example.com");
  EXPECT_EQ(info.get("port"), "6432");
  EXPECT_EQ(info.get("dbname"), "soulstone");
  EXPECT_EQ(info.get("sslmode"), "require");
}

TEST(ConnInfo, ParsesKeyValuePairs) {
  auto info = ConnInfo::parse("host=localhost port=5433 dbname='my db' user=admin password='p w'");
  EXPECT_EQ(info.get("dbname"), "my db");
  EXPECT_EQ(info.get("password"), "p w");
  EXPECT_EQ(info.url(), "postgresql://admin:p%20w@localhost:5433/my%20db");
}

TEST(ConnInfo, RoundTripsThroughItsUrl) {
  auto info = ConnInfo::parse("postgresql://us%40er:p%2Fa%3Ass@[::1]:5432/d%2Fb?application_name=x%20y");
  EXPECT_EQ(info.get("user"), "us@er");
  EXPECT_EQ(info.get("password"), "p/a:ss");
  EXPECT_EQ(info.get("host"), "::1");
  auto again = ConnInfo::parse(info.url());
  EXPECT_EQ(again.params(), info.params());
}

TEST(ConnInfo, KeepsASocketFolderHostInTheQuery) {
  auto info = ConnInfo::parse("host=/var/run/postgresql dbname=shop");
  EXPECT_EQ(info.url(), "postgresql:///shop?host=%2Fvar%2Frun%2Fpostgresql");
  EXPECT_EQ(ConnInfo::parse(info.url()).get("host"), "/var/run/postgresql");
}

TEST(ConnInfo, RedactedHidesOnlyThePassword) {
  auto info = ConnInfo::parse("postgresql://shop:s3cret@db:5432/soulstone");
  EXPECT_EQ(info.redacted(), "postgresql://shop:****@db:5432/soulstone");
  EXPECT_EQ(ConnInfo::parse("postgresql://shop@db/soulstone").redacted(), "postgresql://shop@db/soulstone");
}

TEST(ConnInfo, WithDatabaseKeepsEverythingElse) {
  auto info =
      ConnInfo::parse("postgresql://shop:pw@db:5432/soulstone").with_database("soulstone_restore_2026q4");
  EXPECT_EQ(info.url(), "postgresql://shop:pw@db:5432/soulstone_restore_2026q4");
}

TEST(ConnInfo, InvalidInputNamesTheProblemWithoutThePassword) {
  try {
    (void)ConnInfo::parse("postgresql://shop:hunter2@db:5432/soulstone?bogus_option=1");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    std::string message = error.what();
    EXPECT_NE(message.find("invalid URI query parameter: \"bogus_option\""), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql://shop:****@db:5432"), std::string::npos) << message;
  }
}

TEST(ConnInfo, InvalidKeyValueStringIsRedactedToo) {
  try {
    (void)ConnInfo::parse("host=db password=hunter2 nonsense");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("password=****"), std::string::npos) << message;
  }
}

TEST(Redact, MasksPasswordsInFreeText) {
  EXPECT_EQ(redact("pg_dump: error: connection to postgresql://a:b%20c@h/db failed"),
            "pg_dump: error: connection to postgresql://a:****@h/db failed");
  EXPECT_EQ(redact("host=h password=secret user=u"), "host=h password=**** user=u");
  EXPECT_EQ(redact("password = 'with space' x"), "password = **** x");
  EXPECT_EQ(redact("postgres://user@host/db"), "postgres://user@host/db");
  EXPECT_EQ(redact("s3://bucket/prefix"), "s3://bucket/prefix");
}

TEST(Redact, MasksEveryOccurrenceOfAKnownSecret) {
  EXPECT_EQ(redact_secret("role \"pw\" does not exist; pw", "pw"), "role \"****\" does not exist; ****");
  EXPECT_EQ(redact_secret("nothing here", ""), "nothing here");
}

}  // namespace soulstone::pg
