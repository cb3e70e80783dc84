// The verify phase's smoke queries: the built-in ones that apply to the copy
// and the operator's from soulstone.toml. Each runs in a read-only
// transaction with a statement timeout, so a smoke query can neither change
// the copy nor hang the drill.

#include "drill/phases.hpp"
#include "pg/connection.hpp"

namespace soulstone::drill::internal {

namespace {

// Built-in queries hold for any database soulstone restores: a Prisma
// migration history, when present, has no failed or unfinished migration.
std::vector<SmokeQuery> builtin_queries(pg::Connection& db) {
  std::vector<SmokeQuery> queries;
  if (!db.exec("SELECT to_regclass('public._prisma_migrations')").is_null(0, 0)) {
    queries.push_back({.name = "no failed or unfinished migration in _prisma_migrations",
                       .sql = "SELECT count(*) FROM public._prisma_migrations "
                              "WHERE rolled_back_at IS NULL AND finished_at IS NULL",
                       .expect = "0"});
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
