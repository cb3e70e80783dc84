// The verify phase's smoke queries: the built-in ones that apply to the copy
// and the operator's from soulstone.toml. Each runs in a read-only
// transaction with a statement timeout, so a smoke query can neither change
// the copy nor hang the drill.

#include "drill/phases.hpp"
#include "pg/connection.hpp"

namespace soulstone::drill::internal {

namespace {

bool has_table(pg::Connection& db, const std::string& name) {
  return !db.exec("SELECT to_regclass($1)", {name}).is_null(0, 0);
}

// Built-in queries, each added when the tables it reads exist. The generic
// ones hold for any database soulstone restores; the last exercises the
// Soulstone shop's busiest read path (apps/api/prisma/schema.prisma).
std::vector<SmokeQuery> builtin_queries(pg::Connection& db) {
  std::vector<SmokeQuery> queries;
  if (has_table(db, "public._prisma_migrations")) {
    queries.push_back({.name = "no failed or unfinished migration in _prisma_migrations",
                       .sql = "SELECT count(*) FROM public._prisma_migrations "
                              "WHERE rolled_back_at IS NULL AND finished_at IS NULL",
                       .expect = "0"});
  }
  // A sequence left behind its column's values (a restore that skipped the
  // setval) makes the next insert collide with an existing key.
  queries.push_back(
      {.name = "every sequence is ahead of its column",
       .sql = "SELECT count(*) FROM (SELECT s.seqrelid, "
              // The value nextval() would return: setval(..., false), as pg_dump and a
              // fresh sequence leave it, hands out last_value itself.
              "(xpath('/row/n/text()', query_to_xml(format('SELECT CASE WHEN is_called THEN last_value + 1 "
              "ELSE last_value END AS n FROM %I.%I', sn.nspname, sc.relname), false, true, "
              "'')))[1]::text::numeric "
              "AS next_value, "
              "(xpath('/row/m/text()', query_to_xml(format('SELECT max(%I) AS m FROM %I.%I', a.attname, "
              "tn.nspname, "
              "t.relname), false, true, '')))[1]::text::numeric AS max_value "
              "FROM pg_sequence s JOIN pg_class sc ON sc.oid = s.seqrelid JOIN pg_namespace sn ON sn.oid = "
              "sc.relnamespace "
              "JOIN pg_depend d ON d.objid = s.seqrelid AND d.classid = 'pg_class'::regclass AND d.deptype "
              "IN ('a', 'i') "
              "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace "
              "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid) x "
              "WHERE x.max_value IS NOT NULL AND x.next_value <= x.max_value",
       .expect = "0"});
  if (has_table(db, "public.orders") && has_table(db, "public.order_items") &&
      has_table(db, "public.payments")) {
    queries.push_back(
        {.name = "the latest orders with their items and payments",
         .sql = "SELECT o.id, o.number, count(DISTINCT i.id), count(DISTINCT p.id) FROM public.orders o "
                "LEFT JOIN public.order_items i ON i.order_id = o.id "
                "LEFT JOIN public.payments p ON p.order_id = o.id "
                "GROUP BY o.id, o.number, o.placed_at ORDER BY o.placed_at DESC LIMIT 20"});
  }
  return queries;
}

Check run_one(pg::Connection& db, const SmokeQuery& query, std::chrono::seconds timeout) {
  Check check{.phase = "verify", .name = "smoke: " + query.name};
  try {
    db.exec("BEGIN READ ONLY");
    db.exec("SET LOCAL statement_timeout = " + std::to_string(timeout.count() * 1000));
    pg::Result result = db.exec(query.sql);
    db.exec("ROLLBACK");
    if (query.expect) {
      std::string got =
          result.rows() > 0 && result.columns() > 0 ? std::string(result.get(0, 0)) : "(no row)";
      check.status = got == *query.expect ? Status::Passed : Status::Failed;
      check.detail = check.status == Status::Passed ? "returned " + got
                                                    : "returned " + got + ", expected " + *query.expect;
    } else if (query.min_rows) {
      check.status = result.rows() >= *query.min_rows ? Status::Passed : Status::Failed;
      check.detail = std::to_string(result.rows()) + " row(s), at least " + std::to_string(*query.min_rows) +
                     " expected";
    } else {
      check.status = Status::Passed;
      check.detail = std::to_string(result.rows()) + " row(s)";
    }
  } catch (const pg::DatabaseError& error) {
    try {
      (void)db.exec("ROLLBACK");
    } catch (const pg::DatabaseError&) {
      // The session is gone; the next query will say so in its own check.
    }
    check.status = Status::Failed;
    check.detail = std::string("the query failed: ") + error.what();
  }
  if (check.status == Status::Failed) check.issues.push_back(check.name + ": " + check.detail);
  return check;
}

}  // namespace

std::vector<Check> run_smoke_queries(const pg::ConnInfo& restored, const Options& options) {
  pg::Connection db = pg::Connection::open(restored);
  std::vector<SmokeQuery> queries = builtin_queries(db);
  queries.insert(queries.end(), options.smoke.begin(), options.smoke.end());
  std::vector<Check> checks;
  for (const SmokeQuery& query : queries)
    checks.push_back(run_one(db, query, options.smoke_timeout));
  return checks;
}

}  // namespace soulstone::drill::internal
