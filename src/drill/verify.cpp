// The verify phase's data checks: the copy holds exactly what the backup
// recorded, and every foreign key holds in it.

#include <cstdlib>

#include "archive/manifest_check.hpp"
#include "archive/pg_dump_stream.hpp"
#include "drill/phases.hpp"
#include "pg/connection.hpp"

namespace soulstone::drill::internal {

namespace {

struct ForeignKey {
  std::string name;
  std::string child;                        // quoted schema.table
  std::string parent;                       // quoted schema.table
  std::vector<std::string> child_columns;   // quoted
  std::vector<std::string> parent_columns;  // quoted
  bool match_full = false;
  std::string display;  // schema.table(columns) -> schema.table(columns)
};

std::vector<ForeignKey> foreign_keys(pg::Connection& db) {
  // One row per (constraint, column position), in key order.
  pg::Result rows = db.exec(
      "SELECT c.conname, cn.nspname, cc.relname, pn.nspname, pc.relname, ca.attname, pa.attname, "
      "c.confmatchtype = 'f' "
      "FROM pg_constraint c "
      "JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace "
      "JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace "
      "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_col, parent_col, position) "
      "JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_col "
      "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_col "
      "WHERE c.contype = 'f' AND cn.nspname NOT IN ('pg_catalog', 'information_schema') "
      "ORDER BY cn.nspname, cc.relname, c.conname, k.position");
  std::vector<ForeignKey> keys;
  std::string child_cols, parent_cols;
  for (int i = 0; i < rows.rows(); ++i) {
    std::string name(rows.get(i, 0));
    std::string child = db.quote_identifier(rows.get(i, 1)) + "." + db.quote_identifier(rows.get(i, 2));
    if (keys.empty() || keys.back().name != name || keys.back().child != child) {
      keys.push_back(
          {.name = name,
           .child = child,
           .parent = db.quote_identifier(rows.get(i, 3)) + "." + db.quote_identifier(rows.get(i, 4)),
           .match_full = rows.get(i, 7) == "t"});
      keys.back().display = std::string(rows.get(i, 1)) + "." + std::string(rows.get(i, 2)) + " -> " +
                            std::string(rows.get(i, 3)) + "." + std::string(rows.get(i, 4));
    }
    keys.back().child_columns.push_back(db.quote_identifier(rows.get(i, 5)));
    keys.back().parent_columns.push_back(db.quote_identifier(rows.get(i, 6)));
  }
  return keys;
}

// Rows of the child whose key matches no parent row. MATCH SIMPLE (the
// default) exempts a row with any NULL in the key; MATCH FULL exempts only
// all-NULL keys, and a partly NULL key is a violation by itself.
std::string orphans_query(const ForeignKey& key) {
  std::string any_null, all_null, join;
  for (std::size_t i = 0; i < key.child_columns.size(); ++i) {
    const std::string sep = i == 0 ? "" : " ";
    any_null += (i == 0 ? "" : " OR ") + ("c." + key.child_columns[i] + " IS NULL");
    all_null += (i == 0 ? "" : " AND ") + ("c." + key.child_columns[i] + " IS NULL");
    join += (i == 0 ? "" : " AND ") + ("p." + key.parent_columns[i] + " = c." + key.child_columns[i]);
  }
  std::string exempt = key.match_full ? "(" + all_null + ")" : "(" + any_null + ")";
  std::string violation = "NOT EXISTS (SELECT 1 FROM " + key.parent + " p WHERE " + join + ")";
  if (key.match_full) violation = "(" + any_null + ") OR " + violation;
  return "SELECT count(*) FROM " + key.child + " c WHERE NOT " + exempt + " AND (" + violation + ")";
}

}  // namespace

Check check_tables(const pg::ConnInfo& restored, const archive::Manifest& manifest, int sessions) {
  Check check{.phase = "verify", .name = "row counts and fingerprints"};
  check.issues = archive::compare_tables(archive::table_stats(restored, sessions), manifest.tables);
  check.status = check.issues.empty() ? Status::Passed : Status::Failed;
  check.detail = check.issues.empty()
                     ? std::to_string(manifest.tables.size()) + " tables, " +
                           std::to_string(manifest.rows_total()) + " rows match the manifest"
                     : std::to_string(check.issues.size()) + " of " + std::to_string(manifest.tables.size()) +
                           " tables differ from the manifest";
  return check;
}

Check check_foreign_keys(const pg::ConnInfo& restored) {
  Check check{.phase = "verify", .name = "referential integrity"};
  pg::Connection db = pg::Connection::open(restored);
  db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::vector<ForeignKey> keys = foreign_keys(db);
  for (const ForeignKey& key : keys) {
    long long orphans = std::atoll(std::string(db.exec(orphans_query(key)).get(0, 0)).c_str());
    if (orphans > 0)
      check.issues.push_back("foreign key " + key.name + " (" + key.display +
                             "): " + std::to_string(orphans) + " row(s) reference a missing row");
  }
  db.exec("COMMIT");
  check.status = check.issues.empty() ? Status::Passed : Status::Failed;
  check.detail = !check.issues.empty() ? std::to_string(check.issues.size()) + " of " +
                                             std::to_string(keys.size()) + " foreign key(s) violated"
                 : keys.empty() ? "no foreign keys to check"
                                : "every foreign key holds (" + std::to_string(keys.size()) + " checked)";
  return check;
}

}  // namespace soulstone::drill::internal
