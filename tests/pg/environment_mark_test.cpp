#include "pg/environment_mark.hpp"

#include <gtest/gtest.h>

#include "postgres_env.hpp"

namespace soulstone::pg {
namespace {

TEST(EnvironmentMark, LivesInTheDatabaseItself) {
  ConnInfo url = soulstone::testing::fresh_database("mark");
  auto first = Connection::open(url);
  EXPECT_EQ(read_mark(first), std::nullopt);
  write_mark(first, Environment::Production);
  EXPECT_EQ(read_mark(first), Environment::Production);
  // Any later session, from any tool, sees it.
  auto later = Connection::open(url);
  EXPECT_EQ(read_mark(later), Environment::Production);
  write_mark(later, Environment::Staging);
  EXPECT_EQ(read_mark(*std::make_unique<Connection>(Connection::open(url))), Environment::Staging);
}

TEST(EnvironmentMark, ProductionIsRefusedUnlessOverridden) {
  ConnInfo url = soulstone::testing::fresh_database("mark");
  auto db = Connection::open(url);
  refuse_production(db, "db seed", false);  // unmarked: allowed
  write_mark(db, Environment::Production);
  try {
    refuse_production(db, "db seed", false);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Refused);
    EXPECT_EQ(std::string(error.what()), "db seed refused: " + url.redacted() + " is marked production");
    EXPECT_EQ(error.hint(), "nothing was changed; if you really mean it, pass --i-know-this-is-production");
  }
  refuse_production(db, "db seed", true);
}

TEST(EnvironmentMark, OnlyKnownWordsAreAccepted) {
  EXPECT_EQ(parse_environment("development"), Environment::Development);
  EXPECT_THROW((void)parse_environment("prod'; DROP DATABASE x; --"), Error);
}

}  // namespace
}  // namespace soulstone::pg
