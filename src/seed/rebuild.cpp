#include "seed/rebuild.hpp"

#include "pg/connection.hpp"

namespace soulstone::seed {

namespace {

std::string oid_array(const std::vector<std::uint32_t>& oids) {
  std::string out = "{";
  for (std::uint32_t oid : oids)
    out += (out.size() > 1 ? "," : "") + std::to_string(oid);
  return out + "}";
}

// Validated foreign keys whose two tables are both truncated: dropping one
// alters both tables (its triggers live on both), so a key that touches a
// table outside the seed is left alone. In load order, then by name, so
// the first violation reported is the same on every run.
constexpr const char* kForeignKeys = R"(
SELECT c.oid, n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND c.convalidated AND c.conparentid = 0 AND t.relkind = 'r'
  AND c.conrelid = ANY($1::oid[]) AND c.confrelid = ANY($1::oid[])
  AND obj_description(c.oid, 'pg_constraint') IS NULL
ORDER BY array_position($1::oid[], c.conrelid), c.conname)";

// Indexes of the loaded tables, with their PRIMARY KEY or UNIQUE constraint
// if any, that a CREATE INDEX or ADD CONSTRAINT of their printed definition
// gives back exactly: anything with state the definitions do not carry
// (comment, tablespace, CLUSTER, replica identity, statistics targets,
// partitions) or that something other than a dropped foreign key depends
// on stays. Primary keys first: nothing depends on it, but a reader of the
// statements expects them so.
constexpr const char* kIndexes = R"(
SELECT n.nspname, t.relname, ic.relname, con.conname, pg_get_indexdef(i.indexrelid),
       pg_get_constraintdef(con.oid)
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                           AND con.contype IN ('p', 'u', 'x')
WHERE i.indrelid = ANY($1::oid[]) AND t.relkind = 'r' AND ic.relkind = 'i'
  AND i.indisvalid AND i.indisready AND i.indislive AND NOT i.indisclustered AND NOT i.indisreplident
  AND ic.reltablespace = 0
  AND (con.oid IS NULL OR con.contype <> 'x')
  AND obj_description(i.indexrelid, 'pg_class') IS NULL
  AND (con.oid IS NULL OR obj_description(con.oid, 'pg_constraint') IS NULL)
  AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = i.indexrelid AND COALESCE(a.attstattarget, -1) <> -1)
  AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid OR h.inhparent = i.indexrelid)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid
                    AND NOT (d.classid = 'pg_constraint'::regclass AND d.objid = ANY($2::oid[])))
ORDER BY array_position($1::oid[], i.indrelid), con.contype = 'p' DESC NULLS LAST, ic.relname)";

}  // namespace

Rebuild Rebuild::drop(pg::Connection& connection, const std::vector<std::uint32_t>& loaded,
                      const std::vector<std::uint32_t>& truncated) {
  // An empty search_path for the definitions: pg_get_constraintdef then
  // qualifies the referenced table, so the statements mean the same thing
  // whatever the search_path when they run.
  std::string search_path(connection.exec("SELECT current_setting('search_path')").get(0, 0));
  connection.exec("SELECT set_config('search_path', '', true)");
  pg::Result keys = connection.exec(kForeignKeys, {oid_array(truncated)});
  std::vector<std::uint32_t> key_oids;
  for (int r = 0; r < keys.rows(); ++r)
    key_oids.push_back(static_cast<std::uint32_t>(std::stoul(std::string(keys.get(r, 0)))));
  pg::Result indexes = connection.exec(kIndexes, {oid_array(loaded), oid_array(key_oids)});
  connection.exec("SELECT set_config('search_path', $1, true)", {search_path});

  Rebuild rebuild;
  std::string drops;
  for (int r = 0; r < keys.rows(); ++r) {
    std::string table =
        connection.quote_identifier(keys.get(r, 1)) + "." + connection.quote_identifier(keys.get(r, 2));
    std::string name = connection.quote_identifier(keys.get(r, 3));
    drops += "ALTER TABLE " + table + " DROP CONSTRAINT " + name + ";\n";
    rebuild.foreign_keys_.push_back(
        {std::string(keys.get(r, 2)),
         "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + std::string(keys.get(r, 4))});
  }
  for (int r = 0; r < indexes.rows(); ++r) {
    std::string schema = connection.quote_identifier(indexes.get(r, 0));
    std::string table = schema + "." + connection.quote_identifier(indexes.get(r, 1));
    if (indexes.is_null(r, 3)) {
      drops += "DROP INDEX " + schema + "." + connection.quote_identifier(indexes.get(r, 2)) + ";\n";
      rebuild.indexes_.push_back({std::string(indexes.get(r, 1)), std::string(indexes.get(r, 4))});
    } else {
      std::string name = connection.quote_identifier(indexes.get(r, 3));
      drops += "ALTER TABLE " + table + " DROP CONSTRAINT " + name + ";\n";
      rebuild.indexes_.push_back(
          {std::string(indexes.get(r, 1)),
           "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + std::string(indexes.get(r, 5))});
    }
  }
  if (!drops.empty()) connection.exec(drops);
  rebuild.drops_ = std::move(drops);
  return rebuild;
}

}  // namespace soulstone::seed
