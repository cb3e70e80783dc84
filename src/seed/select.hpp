#pragma once
// Internal: which tables a run loads and which it truncates.

#include <string>
#include <vector>

#include "seed/plan.hpp"

namespace soulstone::seed {

struct Selection {
  std::vector<bool> load;      // by table index: truncated and loaded
  std::vector<bool> truncate;  // by table index: load, plus every table that references one (PostgreSQL
                               // refuses to truncate a referenced table alone); those are left empty
};

// `only` empty: every table. Otherwise the named models (or tables), every
// table they reference (so their keys resolve), and, for truncation, every
// table that references those. Throws Error(Usage) for an unknown name.
[[nodiscard]] Selection select_tables(const Plan::Data& plan, const std::vector<std::string>& only);

}  // namespace soulstone::seed
