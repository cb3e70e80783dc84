#include "client_runtime/sql.hpp"

#include <gtest/gtest.h>

#include <set>

#include "client_runtime/filters.hpp"
#include "client_runtime/ids.hpp"

namespace soulstone::client {
namespace {

TEST(Filters, ValuesBecomeParametersAndNeverText) {
  Sql sql;
  Conditions where(sql);
  StringFilter<true> email{
      .equals = "x' OR 1=1 --", .contains = "50%_off", .insensitive = true, .is_null = false};
  apply(where, "\"t\".\"email\"", email);
  Filter<std::int32_t> stock{.in = std::vector<std::int32_t>{1, 2}, .gte = 5};
  apply(where, "\"t\".\"stock\"", stock);
  EXPECT_EQ(where.joined(),
            "(\"t\".\"email\" ILIKE $1 AND \"t\".\"email\" ILIKE $2 AND \"t\".\"email\" IS NOT NULL AND "
            "\"t\".\"stock\" = ANY($3) AND \"t\".\"stock\" >= $4)");
  ASSERT_EQ(sql.params.size(), 4u);
  EXPECT_EQ(sql.params[0], "x' OR 1=1 --");
  EXPECT_EQ(sql.params[1], "%50\\%\\_off%");
  EXPECT_EQ(sql.params[2], "{\"1\",\"2\"}");
  EXPECT_EQ(sql.params[3], "5");
}

TEST(Filters, AnEmptyInMatchesNothingAndAnEmptyWhereEverything) {
  Sql sql;
  Conditions where(sql);
  EXPECT_EQ(where.joined(), "TRUE");
  apply(where, "\"t\".\"n\"", Filter<std::int64_t>{.in = std::vector<std::int64_t>{}});
  EXPECT_EQ(where.joined(), "FALSE");
  EXPECT_TRUE(sql.params.empty());
}

TEST(Cursor, ComparesColumnByColumnWithNullsWherePostgresSortsThem) {
  std::vector<OrderTerm> order{{{"\"a\"", true}, Sort::Desc, Nulls::Default}};
  complete_order(order, std::vector<Column>{{"\"id\"", false}});
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(cursor_condition(order),
            "((\"t\".\"a\" < \"c\".\"a\" OR (\"c\".\"a\" IS NULL AND \"t\".\"a\" IS NOT NULL)) OR "
            "(\"t\".\"a\" IS NOT DISTINCT FROM \"c\".\"a\" AND \"t\".\"id\" > \"c\".\"id\") OR "
            "(\"t\".\"a\" IS NOT DISTINCT FROM \"c\".\"a\" AND \"t\".\"id\" = \"c\".\"id\"))");
  EXPECT_EQ(order_by_clause(order), " ORDER BY \"t\".\"a\" DESC, \"t\".\"id\"");
}

TEST(Page, TakeAndSkipAreParameters) {
  Sql sql;
  EXPECT_EQ(page_clause(sql, 10, 20), " LIMIT $1 OFFSET $2");
  EXPECT_EQ(sql.params, (pg::Params{"10", "20"}));
  EXPECT_THROW((void)page_clause(sql, -1, std::nullopt), std::invalid_argument);
}

TEST(Ids, HaveTheirFormatsAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string uuid = uuid_v4();
    ASSERT_EQ(uuid.size(), 36u);
    EXPECT_EQ(uuid[14], '4');
    EXPECT_TRUE(seen.insert(uuid).second);
    EXPECT_TRUE(seen.insert(cuid()).second);
  }
  EXPECT_EQ(uuid_v7()[14], '7');
  EXPECT_EQ(cuid().size(), 25u);
  EXPECT_EQ(cuid2().size(), 24u);
  EXPECT_EQ(nanoid().size(), 21u);
  EXPECT_EQ(nanoid(10).size(), 10u);
  EXPECT_EQ(ulid().size(), 26u);
  EXPECT_LT(ulid().substr(0, 10), "8");  // a 48-bit millisecond time: the first character is at most 7
}

}  // namespace
}  // namespace soulstone::client
