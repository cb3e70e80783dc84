// Drives the renderer with Prisma's own output: every corpus script
// (../shared/corpus/expected/X.diff.sql, what Prisma's engine printed for
// `migrate diff --from-empty --to-schema X --script`) is applied to a fresh
// database, the database is introspected, the model is put back into the
// script's order (introspection lists objects by name, a schema by
// declaration) and rendered as a from-empty migration. The result must be the
// script, byte for byte.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "migrate/diff.hpp"
#include "model/introspect.hpp"
#include "pg/connection.hpp"
#include "postgres_env.hpp"
#include "sql/render.hpp"

namespace soulstone {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SOULSTONE_SOURCE_DIR) / ".." / "shared" / "corpus";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> out;
  std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

template <typename T, typename Key>
std::vector<T> ordered(std::vector<T> items, const std::vector<std::string>& names, Key key) {
  std::vector<T> out;
  for (const std::string& name : names) {
    for (T& item : items)
      if (key(item) == name) out.push_back(std::move(item));
  }
  return out;
}

// Rearranges an introspected model into the order of the script.
model::Schema in_script_order(model::Schema schema, const std::string& script) {
  schema.enums = ordered(std::move(schema.enums), matches(script, R"re(CREATE TYPE "([^"]+)")re"),
                         [](const model::Enum& e) { return e.name; });
  std::vector<std::string> old_names;
  for (const auto& table : schema.tables)
    old_names.push_back(table.name);
  schema.tables = ordered(std::move(schema.tables), matches(script, R"re(CREATE TABLE "([^"]+)")re"),
                          [](const model::Table& t) { return t.name; });
  auto position = [&](const std::string& name) { return schema.table_index(name); };
  for (auto& key : schema.foreign_keys) {
    key.table = position(old_names[key.table]);
    key.referenced_table = position(old_names[key.referenced_table]);
  }
  schema.foreign_keys =
      ordered(std::move(schema.foreign_keys), matches(script, R"re(ADD CONSTRAINT "([^"]+)" FOREIGN)re"),
              [](const model::ForeignKey& k) { return k.name; });
  std::vector<std::string> index_order = matches(script, R"re(CREATE (?:UNIQUE )?INDEX "([^"]+)")re");
  for (auto& table : schema.tables) {
    table.indexes =
        ordered(std::move(table.indexes), index_order, [](const model::Index& i) { return i.name; });
    // The describer reports ASC explicitly; a schema leaves it unsaid.
    for (auto& index : table.indexes)
      for (auto& column : index.columns)
        if (column.sort == model::SortOrder::Asc) column.sort.reset();
  }
  // The script's CREATE EXTENSION lines only; plpgsql is always there.
  schema.extensions = ordered(std::move(schema.extensions),
                              matches(script, R"re(CREATE EXTENSION IF NOT EXISTS "([^"]+)")re"),
                              [](const model::Extension& e) { return e.name; });
  for (auto& extension : schema.extensions)
    extension.schema.clear(), extension.version.clear();
  return schema;
}

bool extensions_available(pg::Connection& db, const std::string& script) {
  for (const std::string& name : matches(script, R"re(CREATE EXTENSION IF NOT EXISTS "([^"]+)")re")) {
    if (db.exec("SELECT 1 FROM pg_available_extensions WHERE name = $1", {name}).rows() == 0) return false;
  }
  return true;
}

class CorpusRender : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusRender, IntrospectedScriptRendersAsPrismaPrintedIt) {
  const std::string expected = read(kCorpus / "expected" / (GetParam() + ".diff.sql"));
  auto db = pg::Connection::open(testing::fresh_database());
  if (!extensions_available(db, expected)) GTEST_SKIP() << "an extension of the script is not installed";
  // Some schemas use types and operator classes of extensions they do not
  // declare (Prisma leaves that to the operator): provide them.
  db.exec("CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm");
  db.exec(expected);
  model::Schema after = in_script_order(model::introspect(db), expected);
  sql::Migration migration = migrate::diff(model::Schema{}, std::move(after));
  std::string actual = sql::render_script(migration);
  if (actual != expected) std::ofstream(::testing::TempDir() + GetParam() + ".actual.sql") << actual;
  EXPECT_TRUE(actual == expected) << "differs from Prisma; ours is in " << ::testing::TempDir() << GetParam()
                                  << ".actual.sql";
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusRender,
                         ::testing::Values("documenso", "formbricks", "ghostfolio", "hoppscotch",
                                           "inbox-zero", "papermark", "rallly", "umami"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace soulstone
