#pragma once
// The data-loss check of a new migration, as Prisma's destructive change
// checker makes it: which steps may lose data (warnings) and which cannot
// run on the data there is (unexecutable steps), worded as Prisma words them.
//
// Two uses, as in `prisma migrate dev`:
// * without a database (Prisma's "pure check"): the hypothetical findings a
//   migration file carries in its `Warnings:` header, for whatever database
//   it will meet (header_lines);
// * against the development database: the same checks qualified by its row
//   and value counts ("... which still contains 3 non-null values."), so a
//   drop of an empty column or table is no finding at all.
//
// Usage:
//
//   sql::Migration next = migrate::diff(history, target);
//   std::string file = sql::render_script(next, migrate::header_lines(migrate::check_data_loss(next)));
//   migrate::DataLossReport live = migrate::check_data_loss(next, connection);
//   if (!live.unexecutable.empty()) ...refuse...
//
// REQUIRES for the database form: the connected database holds the tables of
// `migration.before` (in its current schema); counts are exact (COUNT(*)).

#include <cstddef>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "sql/steps.hpp"

namespace soulstone::migrate {

struct DataLossFinding {
  std::size_t step = 0;  // index into Migration::steps
  std::string message;
};

struct DataLossReport {
  std::vector<DataLossFinding> warnings;      // the step may lose data
  std::vector<DataLossFinding> unexecutable;  // the step cannot run on this data

  [[nodiscard]] bool empty() const noexcept { return warnings.empty() && unexecutable.empty(); }
};

// Without data: every finding in its "if there is data" wording.
[[nodiscard]] DataLossReport check_data_loss(const sql::Migration& migration);

// With the data of the connected database. Throws pg::DatabaseError.
[[nodiscard]] DataLossReport check_data_loss(const sql::Migration& migration, pg::Connection& connection);

// The lines of a migration file's `Warnings:` header, in Prisma's order:
// the warnings, then the unexecutable steps.
[[nodiscard]] std::vector<std::string> header_lines(const DataLossReport& report);

}  // namespace soulstone::migrate
