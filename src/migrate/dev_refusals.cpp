// What migrate dev says when it stops without changing anything: why, what
// a reset would drop (every table with its row count), and how to go on,
// with or without losing the data.

#include "migrate/deploy.hpp"
#include "migrate/dev_phases.hpp"

namespace soulstone::migrate {

namespace {

std::string rows(long long count) { return std::to_string(count) + (count == 1 ? " row" : " rows"); }

std::string listing(const std::vector<TableRows>& tables) {
  if (tables.empty()) return "no tables";
  std::string out = std::to_string(tables.size()) + (tables.size() == 1 ? " table" : " tables") + " (";
  long long total = 0;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    out += (i == 0 ? "" : ", ") + tables[i].table + ": " + rows(tables[i].rows);
    total += tables[i].rows;
  }
  return out + "; " + rows(total) + " in all)";
}

// How to keep the data instead, for the first reason that has a way.
std::string keep_data(const DevDiagnosis& d) {
  if (!d.failed.empty())
    return "repair the database by hand and mark the migration with `soulstone migrate resolve "
           "--rolled-back " +
           d.failed.front() + "` (or --applied)";
  if (!d.edited.empty())
    return "restore " + d.edited.front() +
           "/migration.sql as it was applied (e.g. from git) and put the change in a "
           "new migration";
  if (!d.missing_locally.empty()) return "restore the missing migration folders (e.g. from git)";
  return "undo the changes made by hand, or record them in a migration and mark it with `soulstone migrate "
         "resolve "
         "--applied NAME`";
}

std::string findings(const std::vector<DataLossFinding>& list, bool with_step) {
  std::string out;
  for (const DataLossFinding& finding : list)
    out += "\n  - " + (with_step ? "Step " + std::to_string(finding.step) + " " : std::string()) +
           finding.message;
  return out;
}

}  // namespace

std::vector<TableRows> table_rows(pg::Connection& database) {
  std::vector<TableRows> out;
  std::vector<std::string> tables = user_tables(database);
  if (tables.empty()) return out;
  // One round trip for every table.
  std::string sql;
  for (std::size_t i = 0; i < tables.size(); ++i)
    sql += (i == 0 ? "" : " UNION ALL ") + std::string("SELECT ") + std::to_string(i) + ", COUNT(*) FROM " +
           database.quote_identifier(tables[i]);
  pg::Result result = database.exec(sql);
  out.resize(tables.size());
  for (int row = 0; row < result.rows(); ++row) {
    std::size_t index = std::stoul(std::string(result.get(row, 0)));
    out[index] = {.table = tables[index], .rows = std::stoll(std::string(result.get(row, 1)))};
  }
  return out;
}

void refuse_reset(const DevDiagnosis& diagnosis, const pg::Connection& database, std::string_view schema,
                  const std::vector<TableRows>& tables) {
  std::string reason = diagnosis.reset_reason;
  while (!reason.empty() && reason.back() == '\n')
    reason.pop_back();
  throw Error(
      ErrorKind::Refused,
      "migrate dev must reset the \"" + std::string(schema) + "\" schema of " + database.display_url() +
          " to go on, which would drop " + listing(tables) + ":\n" + reason,
      "nothing was changed; to keep the data, " + keep_data(diagnosis) +
          "; to start over, run `soulstone migrate dev --force`, which drops all of it and applies every "
          "migration again");
}

void refuse_unexecutable(const DataLossReport& report, const pg::Connection& database) {
  throw Error(ErrorKind::Failure,
              "the new migration cannot be applied to " + database.display_url() +
                  " as it stands:" + findings(report.unexecutable, true),
              "nothing was written or changed; write it with --create-only, edit it to deal with the data (a "
              "default, a backfill), then run `soulstone migrate dev` to apply it");
}

void refuse_data_loss(const DataLossReport& report, const pg::Connection& database) {
  throw Error(
      ErrorKind::Refused,
      "the new migration would lose data in " + database.display_url() + ":" +
          findings(report.warnings, false),
      "nothing was written or changed; run it again with --force to create and apply it anyway, or with "
      "--create-only to write it for review");
}

}  // namespace soulstone::migrate
