// `soulstone migrate dev`: Prisma's migrate dev without prompts. The work is
// migrate::dev's; this file parses flags and prints.

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/migrate_flags.hpp"
#include "cli/output.hpp"
#include "migrate/dev.hpp"
#include "migrate/diff_source.hpp"

namespace soulstone::cli {

namespace {

struct DevFlags {
  std::string name;
  bool create_only = false;
  bool force = false;
  std::string shadow_database_url;
};

std::string plural(std::size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

nlohmann::json findings_json(const std::vector<migrate::DataLossFinding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings)
    list.push_back({{"step", finding.step}, {"message", finding.message}});
  return list;
}

nlohmann::json result_json(const migrate::DevResult& result, const std::filesystem::path& dir) {
  nlohmann::json applied = nlohmann::json::array();
  for (const auto& migration : result.applied)
    applied.push_back(migration.name);
  nlohmann::json dropped = nlohmann::json::array();
  for (const auto& table : result.dropped)
    dropped.push_back({{"table", table.table}, {"rows", table.rows}});
  const migrate::DevDiagnosis& d = result.diagnosis;
  return {{"migrations_dir", dir.string()},
          {"diagnosis",
           {{"failed", d.failed},
            {"edited", d.edited},
            {"missing_locally", d.missing_locally},
            {"pending", d.pending},
            {"drift", d.drift ? nlohmann::json(*d.drift) : nlohmann::json(nullptr)},
            {"reset_reason", d.needs_reset() ? nlohmann::json(d.reset_reason) : nlohmann::json(nullptr)}}},
          {"reset", result.reset},
          {"dropped", dropped},
          {"applied", applied},
          {"created", result.created ? nlohmann::json(*result.created) : nlohmann::json(nullptr)},
          {"file", result.created ? nlohmann::json(result.file.string()) : nlohmann::json(nullptr)},
          {"lock_file_written", result.lock_file_written},
          {"applied_created", result.applied_created},
          {"warnings", findings_json(result.data_loss.warnings)},
          {"unexecutable", findings_json(result.data_loss.unexecutable)}};
}

void print_text(const migrate::DevResult& result, bool create_only) {
  if (result.reset) {
    long long rows = 0;
    for (const auto& table : result.dropped)
      rows += table.rows;
    std::cout << "Database reset (--force): " << plural(result.dropped.size(), "table") << " with "
              << plural(static_cast<std::size_t>(rows), "row") << " dropped, "
              << plural(result.applied.size(), "migration") << " applied again.\n";
  }
  for (const auto& finding : result.data_loss.warnings)
    std::cout << "Warning: " << finding.message << '\n';
  for (const auto& finding : result.data_loss.unexecutable)
    std::cout << "Cannot be applied as it stands: Step " << finding.step << ' ' << finding.message << '\n';
  if (result.created && create_only) {
    std::cout << "Created " << result.file.string() << " without applying it.\n"
              << "Edit it if needed, then run `soulstone migrate dev` to apply it.\n";
    return;
  }
  if (result.created) {
    std::cout << "Created and applied " << result.file.string() << ".\n"
              << "Your database is now in sync with your schema.\n";
    return;
  }
  std::cout << (result.applied.empty() ? "Already in sync, no schema change or pending migration was found.\n"
                                       : "Your database is now in sync with your schema.\n");
}

}  // namespace

void register_migrate_dev_command(CLI::App& migrate, Context& context,
                                  const std::shared_ptr<MigrateFlags>& flags) {
  auto dev_flags = std::make_shared<DevFlags>();
  CLI::App* dev = migrate.add_subcommand(
      "dev", "Create a migration from the schema's changes and apply it to the development database");
  dev->footer(
      "Replays the migrations into a shadow database (temporary, always dropped; or SHADOW_DATABASE_URL, or "
      "the\n"
      "datasource's shadowDatabaseUrl), checks the database for drift and for failed or edited migrations,\n"
      "applies pending migrations, then writes <UTC yyyymmddHHMMSS>_<name>/migration.sql and applies it.\n"
      "Never prompts; never resets or loses data without --force; refuses a database marked production.\n"
      "Exit codes: 0 done; 1 a step cannot run on the data (use --create-only and edit it), lock timeout;\n"
      "3 bad schema, folder or migration_lock.toml; 4 database error, or a migration failed (in the shadow\n"
      "database: P3006; applying: recorded as failed); 7 refused: reset needed or data loss without "
      "--force,\n"
      "database marked production.");
  dev->add_option("--name,-n", dev_flags->name, "Name of the new migration (sanitized as Prisma does)");
  dev->add_flag("--create-only", dev_flags->create_only, "Write the new migration without applying it");
  dev->add_flag(
      "--force", dev_flags->force,
      "Reset the database when drift or an edited/failed migration requires it, and apply a migration "
      "that loses data");
  dev->add_option(
      "--shadow-database-url", dev_flags->shadow_database_url,
      "Shadow database (default SHADOW_DATABASE_URL, else the datasource's shadowDatabaseUrl, else a "
      "temporary database)");
  dev->callback([&context, flags, dev_flags] {
    migrate::DevOptions options{.schema = flags->schema,
                                .migrations = flags->migrations_dir(),
                                .name = dev_flags->name,
                                .create_only = dev_flags->create_only,
                                .force = dev_flags->force,
                                .lock_timeout = flags->lock_timeout()};
    std::string shadow = dev_flags->shadow_database_url;
    if (shadow.empty())
      if (const char* env = std::getenv("SHADOW_DATABASE_URL"); env != nullptr) shadow = env;
    if (!shadow.empty()) options.shadow = pg::ConnInfo::parse(shadow);
    options.on_applied = [&context](const migrate::AppliedMigration& applied) {
      if (!context.json) std::cout << "applied " << applied.name << '\n';
    };
    // DATABASE_URL as Prisma reads it, `?schema=name` included, as the other
    // migrate commands read it; else the embedded server.
    pg::ConnInfo database;
    const char* url = std::getenv("DATABASE_URL");
    if (url != nullptr && *url != '\0') {
      migrate::DatabaseUrl parsed = migrate::parse_database_url(url);
      database = parsed.conninfo;
      std::string_view text(url);
      std::size_t query = text.find('?');
      if (query != std::string_view::npos &&
          (text.find("?schema=", query) == query || text.find("&schema=", query) != std::string_view::npos))
        options.database_schema = parsed.schema;
    } else {
      database = context.database();
    }
    migrate::DevResult result = migrate::dev(database, options);
    if (context.json) {
      nlohmann::json document = result_json(result, options.migrations);
      document["database"] = database.redacted();
      return print_json(document);
    }
    print_text(result, dev_flags->create_only);
  });
}

}  // namespace soulstone::cli
