#include "pg/connection.hpp"

#include <gtest/gtest.h>

#include "pg/embedded.hpp"
#include "postgres_env.hpp"

namespace soulstone::pg {
namespace {

using soulstone::testing::fresh_database;
using soulstone::testing::postgres;

TEST(Connection, RunsStatementsWithParameters) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE item (id int PRIMARY KEY, name text)");
  db.exec("INSERT INTO item VALUES ($1, $2), ($3, $4)", {"1", "it's \"quoted\"", "2", std::nullopt});
  auto result = db.exec("SELECT id, name FROM item ORDER BY id");
  ASSERT_EQ(result.rows(), 2);
  EXPECT_EQ(result.get(0, 1), "it's \"quoted\"");
  EXPECT_TRUE(result.is_null(1, 1));
  EXPECT_EQ(result.get_optional(1, 1), std::nullopt);
  EXPECT_EQ(result.column_name(1), "name");
  EXPECT_EQ(db.exec("UPDATE item SET name = 'x'").affected_rows(), 2);
  EXPECT_GE(db.server_version(), 150000);
}

TEST(Connection, PreparedStatementsRunWithParametersAndSurviveARollback) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE item (id int PRIMARY KEY, name text)");
  db.exec("BEGIN");
  db.prepare("insert_item", "INSERT INTO item VALUES ($1, $2) RETURNING id");
  db.exec("ROLLBACK");
  EXPECT_EQ(db.exec_prepared("insert_item", {"7", std::nullopt}).get(0, 0), "7");
  EXPECT_EQ(db.exec_prepared("insert_item", {"8", "eight"}).affected_rows(), 1);
  EXPECT_EQ(
      db.exec("SELECT string_agg(id || ':' || coalesce(name, '-'), ',' ORDER BY id) FROM item").get(0, 0),
      "7:-,8:eight");
  try {
    db.prepare("broken", "SELECT * FROM no_such_table WHERE id = $1");
    FAIL();
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "42P01");
  }
  try {
    (void)db.exec_prepared("insert_item", {"7", "again"});
    FAIL();
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "23505");
  }
}

TEST(Connection, QuotesIdentifiersThroughLibpq) {
  auto db = Connection::open(fresh_database());
  const std::string weird = "Order \"items\"; DROP TABLE x";
  EXPECT_EQ(db.quote_identifier("Order"), "\"Order\"");
  db.exec("CREATE TABLE " + db.quote_identifier(weird) + " (v int)");
  auto result = db.exec("SELECT count(*) FROM pg_class WHERE relname = $1", {weird});
  EXPECT_EQ(result.get(0, 0), "1");
}

TEST(Connection, ErrorsCarryTheSqlstate) {
  auto db = Connection::open(fresh_database());
  try {
    db.exec("SELECT * FROM no_such_table");
    FAIL();
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "42P01");
    EXPECT_STREQ(error.what(), "relation \"no_such_table\" does not exist");
  }
  EXPECT_EQ(db.exec("SELECT 1").get(0, 0), "1");  // still usable
}

TEST(Connection, TimeoutCancelsTheStatementAndLeavesTheConnectionUsable) {
  auto db = Connection::open(fresh_database());
  auto started = std::chrono::steady_clock::now();
  try {
    db.exec("SELECT pg_sleep(30)", ExecOptions{.timeout = std::chrono::milliseconds(200)});
    FAIL();
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "57014");
    EXPECT_STREQ(error.what(), "statement cancelled after its 200 ms timeout");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(db.exec("SELECT 2").get(0, 0), "2");
}

TEST(Connection, CollectsNotices) {
  auto db = Connection::open(fresh_database());
  db.exec("DROP TABLE IF EXISTS not_there");
  ASSERT_EQ(db.notices().size(), 1u);
  EXPECT_EQ(db.notices()[0], "table \"not_there\" does not exist, skipping");
}

TEST(Copy, RoundTripsRowsInAndOut) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE t (id int, label text)");
  {
    CopyIn in = db.copy_in("COPY t FROM STDIN");
    for (int i = 0; i < 10000; ++i)
      in.write(std::to_string(i) + "\tlabel " + std::to_string(i) + "\n");
    EXPECT_EQ(in.finish(), 10000);
  }
  CopyOut out = db.copy_out("COPY (SELECT * FROM t ORDER BY id) TO STDOUT");
  int rows = 0;
  std::string last;
  while (auto row = out.next()) {
    ++rows;
    last = *row;
  }
  EXPECT_EQ(rows, 10000);
  EXPECT_EQ(last, "9999\tlabel 9999\n");
}

TEST(Copy, AnUnfinishedCopyInLandsNothing) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE t (id int)");
  {
    CopyIn in = db.copy_in("COPY t FROM STDIN");
    in.write("1\n2\n");
  }  // abandoned: aborted
  EXPECT_EQ(db.exec("SELECT count(*) FROM t").get(0, 0), "0");
}

TEST(Copy, BadDataFailsAtFinishWithTheServersError) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE t (id int)");
  CopyIn in = db.copy_in("COPY t FROM STDIN");
  in.write("1\nnot a number\n");
  try {
    in.finish();
    FAIL();
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "22P02");
  }
  EXPECT_EQ(db.exec("SELECT count(*) FROM t").get(0, 0), "0");
}

TEST(Copy, AnAbandonedCopyOutLeavesTheConnectionUsable) {
  auto db = Connection::open(fresh_database());
  {
    CopyOut out = db.copy_out("COPY (SELECT g FROM generate_series(1, 5000000) g) TO STDOUT");
    ASSERT_TRUE(out.next().has_value());
  }
  EXPECT_EQ(db.exec("SELECT 3").get(0, 0), "3");
}

TEST(Copy, CopyThroughExecIsRefusedCleanly) {
  auto db = Connection::open(fresh_database());
  db.exec("CREATE TABLE t (id int)");
  EXPECT_THROW(db.exec("COPY t FROM STDIN"), DatabaseError);
  EXPECT_EQ(db.exec("SELECT 4").get(0, 0), "4");
}

// A password never appears in an error, including libpq's own messages.
TEST(ConnectionErrors, NeverShowThePassword) {
  // Nothing listens on this port.
  int port = find_free_port();
  auto closed = ConnInfo::parse("postgresql://shop:hunter2@127.0.0.1:" + std::to_string(port) + "/db");
  try {
    (void)Connection::open(closed);
    FAIL();
  } catch (const DatabaseError& error) {
    std::string message = error.what();
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("cannot connect to postgresql://shop:****@127.0.0.1:"), std::string::npos)
        << message;
    EXPECT_NE(message.find("Connection refused"), std::string::npos) << message;
  }

  // A server error that echoes the secret back (the role name equals the
  // password here) is scrubbed as well.
  ConnInfo echo = postgres();
  echo.set("user", "hunter2");
  echo.set("password", "hunter2");
  try {
    (void)Connection::open(echo);
    FAIL();
  } catch (const DatabaseError& error) {
    std::string message = error.what();
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("role \"****\" does not exist"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace soulstone::pg
