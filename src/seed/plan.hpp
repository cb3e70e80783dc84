#pragma once
// Internal: the seeding plan. What every table gets (row counts, how each
// column is made, how foreign keys pick their parent rows, how unique
// constraints are met) and the order tables are loaded in. Built once from
// the model, the schema and seed.toml (plan.cpp, plan_columns.cpp,
// plan_unique.cpp); read concurrently by generator threads afterwards.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "seed/hash.hpp"
#include "seed/seed.hpp"
#include "seed/value.hpp"

namespace soulstone::seed {

class Row;

// How one value is made. Nodes are immutable after planning and shared by
// every thread; all state lives in the Row.
class Node {
 public:
  virtual ~Node() = default;
  virtual void eval(Row& row, Value& out) const = 0;
};
using NodePtr = std::unique_ptr<Node>;

// A table generated per row of a parent table: parent p gets k(p) rows,
// min <= k(p) <= max, drawn from the key. Rows are laid out parent by
// parent, so the rows of p are [start(p), start(p) + k(p)).
class Nesting {
 public:
  Nesting(std::size_t fk, std::uint64_t key, std::uint64_t min, std::uint64_t max, std::uint64_t parents);

  [[nodiscard]] std::size_t fk() const noexcept { return fk_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] std::uint64_t parents() const noexcept { return parents_; }
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::uint64_t count(std::uint64_t parent) const noexcept;
  [[nodiscard]] std::uint64_t start(std::uint64_t parent) const noexcept;
  // The parent of a row and the row's ordinal among its siblings.
  void locate(std::uint64_t row, std::uint64_t& parent, std::uint64_t& ordinal) const noexcept;

 private:
  static constexpr std::uint64_t kStride = 64;  // one checkpoint per 64 parents: memory stays small
  std::size_t fk_;
  std::uint64_t key_, min_, max_, parents_, rows_ = 0;
  std::vector<std::uint64_t> checkpoints_;  // start(q * kStride)
};

// Columns that are unique together, met by a bijection: a row's index (or,
// in a nested table, its ordinal under its parent plus a per-parent offset)
// goes through a permutation of the product of the members' domains and is
// read back as mixed-radix digits, one per member.
struct UniqueGroup {
  std::vector<std::uint64_t> radices;  // domain size per member
  Permutation permutation;             // over the product of the radices
  bool per_parent = false;             // nested: distinct among siblings only
  std::uint64_t offset_key = 0;        // per_parent: the parent's offset
};

struct ForeignKeyPlan {
  std::size_t parent = 0;               // table index
  std::vector<std::size_t> columns;     // in this table
  std::vector<std::size_t> referenced;  // in the parent table
  std::string relation;                 // the Prisma relation field, when there is one
  bool nullable = false;                // every column nullable
  double null_rate = 0;
  bool deferred = false;  // breaks a cycle: loaded NULL, set afterwards
  enum class Pick { Uniform, Nested, Unique } pick = Pick::Uniform;
  std::size_t group = 0, digit = 0;  // Unique
  std::uint64_t key = 0;
};

struct ColumnPlan {
  std::string name;   // database name
  std::string field;  // Prisma field name (the column name for join tables)
  const model::Column* column = nullptr;
  std::optional<std::string> pii;
  const model::Enum* enum_type = nullptr;                          // enum columns: its values, looked up once
  const std::map<std::string, std::string>* enum_names = nullptr;  // Prisma name -> database name
  bool has_rule = false;                                           // seed.toml gives this column a rule
  bool unique = false;                                             // made unique by construction
  std::optional<std::size_t> foreign_key;                          // the foreign key this column belongs to
  std::optional<std::pair<std::size_t, std::size_t>> group_digit;  // (group, digit) for non-key members
  std::uint64_t key = 0;
  NodePtr node;
};

// A list relation field of the parent (Order.items): the child table and
// its foreign key back to the parent.
struct ChildRelation {
  std::string field;
  std::size_t table = 0;
  std::size_t foreign_key = 0;
};

struct TablePlan {
  std::size_t index = 0;
  std::string name;   // database name
  std::string model;  // Prisma model name (the table name for join tables)
  const model::Table* table = nullptr;
  std::uint64_t rows = 0;
  std::uint64_t key = 0;
  int depth = 0;  // foreign-key depth: 0 for tables that reference nothing
  std::vector<ColumnPlan> columns;
  std::vector<ForeignKeyPlan> foreign_keys;
  std::optional<Nesting> nesting;
  std::vector<UniqueGroup> groups;
  std::vector<ChildRelation> children;
  std::size_t scratch_slots = 0;   // scratch rows aggregates over children use
  std::vector<std::string> notes;  // clamps and choices worth telling the operator

  [[nodiscard]] std::size_t column_named(std::string_view name) const noexcept;  // field or column; npos
};

struct Plan::Data {
  std::uint64_t seed = 0;
  double scale = 1;
  model::Schema model;
  std::vector<TablePlan> tables;              // model order
  std::vector<std::size_t> order;             // load order (parents first)
  std::int64_t time_start = 0, time_end = 0;  // microseconds, the window of generated timestamps
  // Per enum (database name): Prisma value name -> database value name, so
  // rules may name values either way (STRIPE for a value mapped to "stripe").
  std::map<std::string, std::map<std::string, std::string>> enum_names;
};

}  // namespace soulstone::seed
