#pragma once
// Internal to migrate/: how two versions of a column differ, in Prisma's
// terms (change bits and the risk of the type cast).

#include <optional>

#include "model/model.hpp"
#include "sql/steps.hpp"

namespace soulstone::migrate {

struct ColumnDiff {
  sql::ColumnChanges changes;
  std::optional<sql::TypeChange> type_change;
};

[[nodiscard]] ColumnDiff diff_column(const model::Column& previous, const model::Column& next);
[[nodiscard]] std::optional<sql::TypeChange> type_change(const model::Column& previous,
                                                         const model::Column& next);
[[nodiscard]] bool defaults_match(const model::Column& previous, const model::Column& next);

}  // namespace soulstone::migrate
