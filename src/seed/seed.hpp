#pragma once
// soulstone db seed: deterministic fixtures for any Prisma schema, loaded
// with COPY in one transaction.
//
// Usage:
//
//   psl::Schema schema = psl::load("apps/api/prisma/schema.prisma");
//   seed::Config config = seed::load_config("apps/api/prisma/seed.toml");   // optional
//   seed::Plan plan = seed::make_plan(schema, model::from_schema(schema), config, {.seed = 7, .scale = 2});
//   seed::Report report = seed::load(connection, plan, {});
//
// Contracts:
// * Determinism: every value is a pure function of (seed, table, column,
//   row) and of the values it is defined from in seed.toml; the same seed,
//   scale and seed.toml give byte-identical tables on every run and machine,
//   whatever the thread count. Adding a column or a model leaves every other
//   column's values unchanged.
// * Uniqueness by construction: primary keys, unique columns and composite
//   unique constraints are met by bijections from the row index, not by luck.
// * Safety: load() refuses a database marked production (in the database or
//   in soulstone.toml) unless overridden, truncates only the schema's own
//   tables (never _prisma_migrations, never another table), and runs the
//   truncation and the whole load in one transaction: on any failure the
//   previous data is left as it was.
// * Memory does not grow with the scale: rows are generated in bounded
//   chunks; nested tables keep one checkpoint per 64 parent rows.
//
// Thread-safety: a Plan is immutable and may be shared by threads.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "seed/config.hpp"

namespace soulstone::psl {
struct Schema;
}
namespace soulstone::pg {
class Connection;
}

namespace soulstone::seed {

struct PlanOptions {
  std::uint64_t seed = 1;
  double scale = 1.0;  // multiplies every count of seed.toml (and the default count)
};

class Plan {
 public:
  struct Data;  // internal (seed/plan.hpp)
  explicit Plan(std::unique_ptr<Data> data);
  Plan(Plan&&) noexcept;
  Plan& operator=(Plan&&) noexcept;
  ~Plan();

  struct TableInfo {
    std::string name;   // database name
    std::string model;  // Prisma model name (the table name for implicit join tables)
    std::uint64_t rows = 0;
    int depth = 0;  // foreign-key depth
    std::vector<std::string> notes;
  };
  // In load order: every table after the tables it references.
  [[nodiscard]] std::vector<TableInfo> tables() const;
  [[nodiscard]] std::uint64_t total_rows() const;
  [[nodiscard]] const Data& data() const noexcept { return *data_; }

 private:
  std::unique_ptr<Data> data_;
};

// Throws Error(Input) naming the model, field and seed.toml line when a rule
// cannot be applied (unknown field, bad expression, impossible uniqueness).
// It evaluates a few rows of every table, so errors in expressions surface
// here, before anything touches a database.
[[nodiscard]] Plan make_plan(const psl::Schema& schema, const model::Schema& model, const Config& config,
                             const PlanOptions& options);

enum class CopyFormat { Binary, Text };
[[nodiscard]] std::string_view to_string(CopyFormat format) noexcept;

// The COPY ... FROM STDIN data of one table (binary: with header and
// trailer), handed to `sink` in chunks of about a megabyte. Throws
// Error(Input) for an unknown table.
void write_copy(const Plan& plan, std::string_view table, CopyFormat format,
                const std::function<void(std::string_view)>& sink);

struct LoadOptions {
  std::vector<std::string> only;  // model or table names; empty: every table
  CopyFormat format = CopyFormat::Binary;
  unsigned threads = 0;              // generator threads; 0: one less than the hardware threads (at least 1)
  bool production_override = false;  // --i-know-this-is-production
  std::optional<std::string> configured_environment;  // `environment` of soulstone.toml
  std::function<void(std::string_view table, std::uint64_t rows)> on_table;  // after each table
};

struct TableReport {
  std::string table;
  std::uint64_t rows = 0;
  double seconds = 0;
};

struct Report {
  std::vector<TableReport> tables;   // loaded, in load order
  std::vector<std::string> emptied;  // truncated but not loaded (children of --only tables)
  // Dropped before the COPYs and built again after them.
  std::size_t rebuilt_indexes = 0, rebuilt_foreign_keys = 0;
  double rebuild_seconds = 0;  // the builds and validations, after the last COPY
  std::uint64_t rows = 0;
  double seconds = 0;
  CopyFormat format = CopyFormat::Binary;
};

// Guard, then one transaction: TRUNCATE, the loaded tables' indexes and
// foreign keys dropped (seed/rebuild.hpp says which), COPY of every table
// in load order, the updates of keys deferred to break cycles, the indexes
// and foreign keys recreated under their own names (each key validated
// once), sequences set past the loaded ids. Throws Error(Refused) for a production database (nothing
// done), pg::DatabaseError naming the table when the server refuses a row
// (rolled back: the previous data is intact).
[[nodiscard]] Report load(pg::Connection& connection, const Plan& plan, const LoadOptions& options);

}  // namespace soulstone::seed
