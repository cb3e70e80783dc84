#pragma once
// Internal to sql/: the statements of AlterTable and AlterEnum steps.

#include <string>
#include <vector>

#include "sql/steps.hpp"

namespace soulstone::sql {

[[nodiscard]] std::vector<std::string> render_alter_table(const Migration& migration, const Step& step);
[[nodiscard]] std::vector<std::string> render_alter_enum(const Migration& migration, const Step& step);

}  // namespace soulstone::sql
