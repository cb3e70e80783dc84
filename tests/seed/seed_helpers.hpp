#pragma once
// Shared by the seed tests: schemas from text, plans, and the text COPY
// output of a plan split into columns.

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/from_schema.hpp"
#include "psl/psl.hpp"
#include "seed/seed.hpp"

namespace soulstone::seed::testing {

inline const char* kSoulstoneSchema = SOULSTONE_SOURCE_DIR "/apps/api/prisma/schema.prisma";
inline const char* kSoulstoneSeedToml = SOULSTONE_SOURCE_DIR "/apps/api/prisma/seed.toml";

inline psl::Schema schema_from_text(const std::string& text) {
  psl::Checked checked = psl::check({psl::SourceFile{"schema.prisma", text}});
  if (!checked.ok()) {
    std::string errors;
    for (const psl::Diagnostic& d : checked.diagnostics)
      errors += psl::render(checked.schema, d) + "\n";
    throw std::runtime_error("test schema is invalid:\n" + errors);
  }
  return std::move(checked.schema);
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Seeded {
  psl::Schema schema;
  model::Schema model;
  Plan plan;
};

inline Seeded plan_for(psl::Schema schema, const Config& config, PlanOptions options) {
  model::Schema model = model::from_schema(schema);
  Plan plan = make_plan(schema, model, config, options);
  return {std::move(schema), std::move(model), std::move(plan)};
}

inline std::string copy_text(const Plan& plan, const std::string& table,
                             CopyFormat format = CopyFormat::Text) {
  std::string out;
  write_copy(plan, table, format, [&](std::string_view data) { out.append(data); });
  return out;
}

// The text COPY rows of a table, each split into its fields.
inline std::vector<std::vector<std::string>> rows_of(const Plan& plan, const std::string& table) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(copy_text(plan, table));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      std::size_t tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(fields));
  }
  return rows;
}

// "table.column" -> every value of that column, in row order.
inline std::map<std::string, std::vector<std::string>> columns_of(const Seeded& seeded) {
  std::map<std::string, std::vector<std::string>> out;
  for (const model::Table& table : seeded.model.tables) {
    for (const std::vector<std::string>& row : rows_of(seeded.plan, table.name))
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        out[table.name + "." + table.columns[c].name].push_back(row[c]);
    for (const model::Column& column : table.columns)
      out[table.name + "." + column.name];  // empty tables too
  }
  return out;
}

}  // namespace soulstone::seed::testing
