#pragma once
// Internal: one row of one table while it is being generated, with its
// column values memoised, so a column that several rules read is computed
// once, and the rows it reads through foreign keys (its parents) cached for
// as long as they stay the same (siblings of a nested table share theirs).
//
// A Row belongs to one thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/error.hpp"
#include "seed/plan.hpp"

namespace soulstone::seed {

// An error in the value of one column of one row; carries its context once.
class ValueError : public Error {
 public:
  using Error::Error;
};

class Row {
 public:
  Row(const Plan::Data& plan, const TablePlan& table);

  // Moves to another row; memoised values are forgotten. The position in a
  // nested table (parent row and ordinal) is found when needed, or given.
  void reset(std::uint64_t index);
  void reset(std::uint64_t index, std::uint64_t parent, std::uint64_t ordinal);

  [[nodiscard]] const Plan::Data& plan() const noexcept { return *plan_; }
  [[nodiscard]] const TablePlan& table() const noexcept { return *table_; }
  [[nodiscard]] std::uint64_t index() const noexcept { return index_; }

  // The value of a column, coerced to its type. Throws ValueError.
  const Value& value(std::size_t column);

  // The parent row a foreign key points at; nullptr when the key is NULL.
  Row* parent(std::size_t foreign_key);
  [[nodiscard]] std::optional<std::uint64_t> parent_index(std::size_t foreign_key);

  // Nested tables: the parent row index and the ordinal among siblings.
  [[nodiscard]] std::uint64_t nest_parent();
  [[nodiscard]] std::uint64_t nest_ordinal();

  // The mixed-radix digit of a unique group for this row.
  [[nodiscard]] std::uint64_t group_digit(std::size_t group, std::size_t digit);

  // One word shared by the columns of the row that describe one fake person
  // (name, e-mail, display name), so they agree with each other.
  [[nodiscard]] std::uint64_t person() const noexcept;

  // A scratch row of another table (children for aggregates), by slot.
  Row& scratch(std::size_t slot, const TablePlan& table);

 private:
  void locate();
  const Plan::Data* plan_;
  const TablePlan* table_;
  std::uint64_t index_ = 0;
  std::uint64_t nest_parent_ = 0, nest_ordinal_ = 0;
  bool located_ = false;
  std::vector<Value> values_;
  std::vector<std::uint8_t> state_;         // 0 unknown, 1 being computed, 2 known
  std::vector<std::int64_t> parent_index_;  // -1 unknown, -2 NULL
  std::vector<std::unique_ptr<Row>> parents_;
  std::vector<std::unique_ptr<Row>> scratch_;
  std::vector<std::int64_t> group_value_;  // -1 unknown
};

// Converts a computed value to what the column holds (decimal scale,
// integer range, string length, timestamp precision, enum membership).
// Throws Error(Input) when it cannot.
void coerce(const ColumnPlan& column, const Plan::Data& plan, Value& value);

}  // namespace soulstone::seed
