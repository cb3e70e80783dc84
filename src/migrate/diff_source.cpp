#include "migrate/diff_source.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "base/error.hpp"
#include "model/from_schema.hpp"
#include "model/introspect.hpp"
#include "pg/connection.hpp"
#include "pg/environment_mark.hpp"
#include "psl/psl.hpp"

namespace soulstone::migrate {

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> migration_files(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw Error(ErrorKind::Input, "migrations folder " + folder.string() + " does not exist",
                "pass the folder that holds the <timestamp>_<name>/migration.sql folders");
  fs::path lock = folder / "migration_lock.toml";
  if (fs::exists(lock)) {
    std::string text = read_file(lock);
    if (text.find("provider") != std::string::npos && text.find("\"postgresql\"") == std::string::npos)
      throw Error(ErrorKind::Input, lock.string() + " names a provider other than postgresql",
                  "soulstone migrates PostgreSQL databases only");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_directory()) continue;
    fs::path file = entry.path() / "migration.sql";
    if (!fs::exists(file))
      throw Error(ErrorKind::Input, "migration " + entry.path().filename().string() + " has no migration.sql",
                  "every migration folder holds a migration.sql");
    files.push_back(file);
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(pg::Connection& db, const std::vector<fs::path>& files) {
  for (const fs::path& file : files) {
    try {
      db.exec(read_file(file));
    } catch (const pg::DatabaseError& error) {
      throw pg::DatabaseError("migration " + file.parent_path().filename().string() +
                                  " failed to apply cleanly to the shadow database: " + error.what(),
                              error.sqlstate(), "fix the migration or mark it as rolled back");
    }
  }
}

std::string random_suffix() {
  std::random_device device;
  std::mt19937_64 generator(device());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i)
    out += kHex[generator() % 16];
  return out;
}

model::Schema from_migrations(const fs::path& folder, const SourceOptions& options) {
  std::vector<fs::path> files = migration_files(folder);
  if (options.shadow) {
    auto db = pg::Connection::open(*options.shadow);
    pg::refuse_production(db, "resetting the shadow database", false);
    db.exec("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public");
    replay(db, files);
    return model::introspect(db);
  }
  if (!options.server)
    throw Error(ErrorKind::Usage, "a migrations folder needs a database server for its shadow database",
                "set DATABASE_URL or SHADOW_DATABASE_URL");
  auto admin = pg::Connection::open(*options.server);
  const std::string name = "prisma_migrate_shadow_db_" + random_suffix();
  admin.exec("CREATE DATABASE " + admin.quote_identifier(name));
  // Dropped on every path, also when a migration fails.
  struct Dropper {
    pg::Connection& admin;
    const std::string& name;
    ~Dropper() {
      try {
        admin.exec("DROP DATABASE IF EXISTS " + admin.quote_identifier(name) + " WITH (FORCE)");
      } catch (...) {
      }
    }
  } dropper{admin, name};
  model::Schema schema;
  {
    auto shadow = pg::Connection::open(options.server->with_database(name));
    replay(shadow, files);
    schema = model::introspect(shadow);
  }
  return schema;
}

}  // namespace

DatabaseUrl parse_database_url(std::string_view url) {
  std::string text(url);
  std::string schema = "public";
  std::size_t query = text.find('?');
  if (query != std::string::npos) {
    std::string kept;
    std::stringstream parts(text.substr(query + 1));
    std::string part;
    while (std::getline(parts, part, '&')) {
      if (part.rfind("schema=", 0) == 0) {
        schema = part.substr(7);
        continue;
      }
      kept += (kept.empty() ? "" : "&") + part;
    }
    text = text.substr(0, query) + (kept.empty() ? "" : "?" + kept);
  }
  return DatabaseUrl{pg::ConnInfo::parse(text), schema};
}

model::Schema read_source(const DiffSource& source, const SourceOptions& options) {
  switch (source.kind) {
    case DiffSource::Kind::Empty:
      return {};
    case DiffSource::Kind::Schema:
      return model::from_schema(psl::load(source.value));
    case DiffSource::Kind::Url: {
      DatabaseUrl url = parse_database_url(source.value);
      auto db = pg::Connection::open(url.conninfo);
      return model::introspect(db, url.schema);
    }
    case DiffSource::Kind::Migrations:
      return from_migrations(source.value, options);
  }
  return {};
}

}  // namespace soulstone::migrate
