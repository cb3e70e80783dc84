#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

// Rules that read each other in a circle recurse without end; this depth
// stops them with a message instead of a stack overflow.
constexpr int kMaxDepth = 200;
thread_local int depth = 0;

struct DepthGuard {
  DepthGuard() { ++depth; }
  ~DepthGuard() { --depth; }
};

}  // namespace

Row::Row(const Plan::Data& plan, const TablePlan& table)
    : plan_(&plan),
      table_(&table),
      values_(table.columns.size()),
      state_(table.columns.size(), 0),
      parent_index_(table.foreign_keys.size(), -1),
      parents_(table.foreign_keys.size()),
      group_value_(table.groups.size(), -1) {}

void Row::reset(std::uint64_t index) {
  index_ = index;
  located_ = false;
  std::fill(state_.begin(), state_.end(), 0);
  std::fill(parent_index_.begin(), parent_index_.end(), -1);
  std::fill(group_value_.begin(), group_value_.end(), -1);
}

void Row::reset(std::uint64_t index, std::uint64_t parent, std::uint64_t ordinal) {
  reset(index);
  nest_parent_ = parent;
  nest_ordinal_ = ordinal;
  located_ = true;
}

void Row::locate() {
  if (located_) return;
  if (table_->nesting) table_->nesting->locate(index_, nest_parent_, nest_ordinal_);
  located_ = true;
}

std::uint64_t Row::nest_parent() {
  locate();
  return nest_parent_;
}

std::uint64_t Row::nest_ordinal() {
  locate();
  return nest_ordinal_;
}

const Value& Row::value(std::size_t column) {
  if (state_[column] == 2) return values_[column];
  const ColumnPlan& plan = table_->columns[column];
  if (state_[column] == 1 || depth > kMaxDepth)
    throw ValueError(ErrorKind::Input,
                     "the rule of " + table_->model + "." + plan.field + " depends on itself (through " +
                         "the rules it reads)",
                     "break the circle in seed.toml");
  state_[column] = 1;
  DepthGuard guard;
  try {
    plan.node->eval(*this, values_[column]);
    coerce(plan, *plan_, values_[column]);
  } catch (const ValueError&) {
    state_[column] = 0;
    throw;
  } catch (const Error& error) {
    state_[column] = 0;
    throw ValueError(ErrorKind::Input,
                     table_->model + "." + plan.field + " (table " + table_->name + ", row " +
                         std::to_string(index_) + "): " + error.what(),
                     error.hint().empty() ? "check its rule in seed.toml" : error.hint());
  }
  state_[column] = 2;
  return values_[column];
}

std::optional<std::uint64_t> Row::parent_index(std::size_t fk) {
  std::int64_t& known = parent_index_[fk];
  if (known == -2) return std::nullopt;
  if (known >= 0) return static_cast<std::uint64_t>(known);
  const ForeignKeyPlan& key = table_->foreign_keys[fk];
  const std::uint64_t parents = plan_->tables[key.parent].rows;
  std::uint64_t pick = 0;
  switch (key.pick) {
    case ForeignKeyPlan::Pick::Nested:
      pick = nest_parent();
      break;
    case ForeignKeyPlan::Pick::Unique:
      pick = group_digit(key.group, key.digit);
      break;
    case ForeignKeyPlan::Pick::Uniform:
      if (parents == 0) {
        known = -2;
        return std::nullopt;
      }
      pick = below(draw(key.key, index_), parents);
      break;
  }
  if (key.nullable && key.null_rate > 0 && unit(draw(key.key, index_, 1)) < key.null_rate) {
    known = -2;
    return std::nullopt;
  }
  known = static_cast<std::int64_t>(pick);
  return pick;
}

Row* Row::parent(std::size_t fk) {
  auto pick = parent_index(fk);
  if (!pick) return nullptr;
  std::unique_ptr<Row>& slot = parents_[fk];
  const TablePlan& parent_table = plan_->tables[table_->foreign_keys[fk].parent];
  if (!slot) {
    slot = std::make_unique<Row>(*plan_, parent_table);
    slot->reset(*pick);
  } else if (slot->index() != *pick) {
    slot->reset(*pick);
  }
  return slot.get();
}

std::uint64_t Row::group_digit(std::size_t group, std::size_t digit) {
  const UniqueGroup& g = table_->groups[group];
  std::int64_t& known = group_value_[group];
  if (known < 0) {
    std::uint64_t position = index_;
    if (g.per_parent) {
      // Siblings take consecutive positions from an offset of their parent's,
      // so they are distinct among themselves and spread across the domain.
      std::uint64_t offset = below(draw(g.offset_key, nest_parent()), g.permutation.size());
      position = (offset + nest_ordinal()) % g.permutation.size();
    }
    known = static_cast<std::int64_t>(g.permutation(position));
  }
  std::uint64_t value = static_cast<std::uint64_t>(known);
  for (std::size_t k = g.radices.size(); k-- > digit + 1;)
    value /= g.radices[k];
  return value % g.radices[digit];
}

std::uint64_t Row::person() const noexcept { return draw(table_->key, index_, 0x9e50); }

Row& Row::scratch(std::size_t slot, const TablePlan& table) {
  if (scratch_.size() <= slot) scratch_.resize(slot + 1);
  if (!scratch_[slot]) scratch_[slot] = std::make_unique<Row>(*plan_, table);
  return *scratch_[slot];
}

}  // namespace soulstone::seed
