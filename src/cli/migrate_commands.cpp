// soulstone migrate deploy|status|resolve|reset: the migration history,
// compatible with Prisma Migrate's folder and _prisma_migrations table.

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/migrate_flags.hpp"
#include "cli/output.hpp"
#include "migrate/deploy.hpp"
#include "migrate/diff_source.hpp"
#include "migrate/migrations_dir.hpp"
#include "migrate/reset.hpp"
#include "migrate/resolve.hpp"
#include "migrate/status.hpp"
#include "pg/connection.hpp"

namespace soulstone::cli {

std::filesystem::path MigrateFlags::migrations_dir() const {
  return migrate::migrations_dir_for(schema, migrations);
}

std::chrono::milliseconds MigrateFlags::lock_timeout() const {
  return std::chrono::milliseconds(static_cast<long long>(lock_timeout_seconds * 1000));
}

namespace {

// DATABASE_URL as Prisma reads it (its `?schema=name` included), else the
// embedded server.
pg::Connection connect(const Context& context) {
  const char* url = std::getenv("DATABASE_URL");
  if (url == nullptr || *url == '\0') return pg::Connection::open(context.database());
  migrate::DatabaseUrl parsed = migrate::parse_database_url(url);
  pg::Connection connection = pg::Connection::open(parsed.conninfo);
  std::string_view text(url);
  std::size_t query = text.find('?');
  if (query != std::string_view::npos &&
      (text.find("?schema=", query) == query || text.find("&schema=", query) != std::string_view::npos))
    migrate::use_schema(connection, parsed.schema);
  return connection;
}

struct Resolution {
  std::string applied;
  std::string rolled_back;
};

struct ResetFlags {
  bool force = false;
  bool production = false;
};

std::string plural(std::size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::string milliseconds(std::chrono::microseconds duration) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << static_cast<double>(duration.count()) / 1000.0 << " ms";
  return out.str();
}

nlohmann::json applied_json(const std::vector<migrate::AppliedMigration>& applied) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& migration : applied)
    list.push_back(
        {{"name", migration.name}, {"seconds", static_cast<double>(migration.duration.count()) / 1e6}});
  return list;
}

nlohmann::json row_json(const migrate::HistoryRow& row) {
  auto time = [](const std::optional<migrate::Timestamp>& when) {
    return when ? nlohmann::json(migrate::iso8601(*when)) : nlohmann::json(nullptr);
  };
  return {{"id", row.id},
          {"migration_name", row.migration_name},
          {"checksum", row.checksum},
          {"started_at", migrate::iso8601(row.started_at)},
          {"finished_at", time(row.finished_at)},
          {"rolled_back_at", time(row.rolled_back_at)},
          {"applied_steps_count", row.applied_steps_count},
          {"logs", row.logs ? nlohmann::json(*row.logs) : nlohmann::json(nullptr)}};
}

void print_names(const std::string& title, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::cout << title << " (" << names.size() << "):\n";
  for (const auto& name : names)
    std::cout << "  " << name << '\n';
}

void register_deploy(CLI::App* group, Context& context, const std::shared_ptr<MigrateFlags>& flags) {
  CLI::App* deploy = group->add_subcommand(
      "deploy", "Apply the pending migrations (Prisma's migrate deploy; lock pg_advisory_lock(72707369))");
  deploy->callback([&context, flags] {
    migrate::MigrationsDir dir = migrate::read_migrations_dir(flags->migrations_dir());
    pg::Connection connection = connect(context);
    auto started = std::chrono::steady_clock::now();
    if (!context.json)
      std::cout << plural(dir.migrations.size(), "migration") << " found in " << dir.path.string() << '\n';
    migrate::DeployResult result = migrate::deploy(
        connection, dir,
        {.lock_timeout = flags->lock_timeout(), .on_applied = [&](const migrate::AppliedMigration& applied) {
           if (!context.json)
             std::cout << "applied " << applied.name << " (" << milliseconds(applied.duration) << ")\n";
         }});
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (context.json)
      return print_json({{"database", connection.display_url()},
                         {"migrations_dir", dir.path.string()},
                         {"found", dir.migrations.size()},
                         {"applied", applied_json(result.applied)},
                         {"seconds", seconds}});
    std::cout << (result.applied.empty() ? "No pending migrations to apply.\n"
                                         : "All migrations have been successfully applied.\n");
  });
}

void register_status(CLI::App* group, Context& context, const std::shared_ptr<MigrateFlags>& flags) {
  CLI::App* status = group->add_subcommand(
      "status", "Compare the migrations folder with the database's history (exit 1 unless up to date)");
  status->callback([&context, flags] {
    migrate::MigrationsDir dir = migrate::read_migrations_dir(flags->migrations_dir());
    pg::Connection connection = connect(context);
    migrate::StatusReport report = migrate::status(connection, dir);
    if (context.json) {
      nlohmann::json history = nlohmann::json::array();
      for (const auto& row : report.history)
        history.push_back(row_json(row));
      print_json({{"database", connection.display_url()},
                  {"migrations_dir", dir.path.string()},
                  {"up_to_date", report.up_to_date()},
                  {"has_history_table", report.has_history_table},
                  {"not_managed", report.not_managed()},
                  {"local_migrations", report.local_migrations},
                  {"applied", report.applied},
                  {"pending", report.pending},
                  {"failed", report.failed},
                  {"edited", report.edited},
                  {"missing_locally", report.missing_locally},
                  {"history", history}});
    } else {
      std::cout << plural(report.local_migrations, "migration") << " found in " << dir.path.string() << ", "
                << report.applied.size() << " applied to " << connection.display_url() << '\n';
      print_names("Failed (deploy refuses until resolved)", report.failed);
      print_names("Edited after they were applied (checksum differs)", report.edited);
      print_names("Applied but missing locally", report.missing_locally);
      print_names("Pending (not yet applied)", report.pending);
      if (report.up_to_date()) std::cout << "Database schema is up to date!\n";
    }
    if (report.up_to_date()) return;
    if (report.not_managed()) {
      throw Error(
          ErrorKind::Failure,
          "the database is not managed by migrations: it has " +
              plural(report.tables_without_history.size(), "table") + " but no " +
              std::string(migrate::kHistoryTable) + " table",
          dir.migrations.empty()
              ? "create a baseline migration of the current schema, then mark it applied with `soulstone "
                "migrate resolve --applied NAME`"
              : "baseline it: `soulstone migrate resolve --applied " + dir.migrations.front().name + "`");
    }
    std::string what;
    auto add = [&](std::size_t count, const std::string& text) {
      if (count > 0) what += (what.empty() ? "" : ", ") + std::to_string(count) + " " + text;
    };
    add(report.failed.size(), "failed");
    add(report.edited.size(), "edited");
    add(report.missing_locally.size(), "missing locally");
    add(report.pending.size(), "pending");
    std::string hint =
        !report.failed.empty() ? "repair the database, then `soulstone migrate resolve --rolled-back " +
                                     report.failed.front() + "` (or --applied)"
        : !report.edited.empty() || !report.missing_locally.empty()
            ? "restore the migration files as they were applied (git history), or start over on a "
              "development database with `soulstone migrate reset --force`"
            : "apply them with `soulstone migrate deploy`";
    throw Error(ErrorKind::Failure, "migration history is not up to date: " + what, hint);
  });
}

void register_resolve(CLI::App* group, Context& context, const std::shared_ptr<MigrateFlags>& flags) {
  auto resolution = std::make_shared<Resolution>();
  CLI::App* resolve = group->add_subcommand(
      "resolve",
      "Mark a migration as applied (baseline, hotfix) or a failed one as rolled back, without running it");
  auto* applied = resolve->add_option("--applied", resolution->applied, "Record this migration as applied");
  auto* rolled_back = resolve->add_option("--rolled-back", resolution->rolled_back,
                                          "Record this failed migration as rolled back");
  applied->excludes(rolled_back);
  resolve->require_option(1, 1);
  resolve->callback([&context, flags, resolution] {
    pg::Connection connection = connect(context);
    migrate::ResolveResult result;
    std::string name;
    if (!resolution->applied.empty()) {
      name = resolution->applied;
      migrate::MigrationsDir dir = migrate::read_migrations_dir(flags->migrations_dir());
      result = migrate::resolve_applied(connection, dir, name, flags->lock_timeout());
    } else {
      name = resolution->rolled_back;
      result = migrate::resolve_rolled_back(connection, name, flags->lock_timeout());
    }
    const bool as_applied = !resolution->applied.empty();
    if (context.json)
      return print_json({{"database", connection.display_url()},
                         {"migration", name},
                         {"marked", as_applied ? "applied" : "rolled_back"},
                         {"id", result.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(result.id)},
                         {"rolled_back_attempts", result.rolled_back}});
    std::cout << "Migration " << name << " marked as " << (as_applied ? "applied" : "rolled back") << ".\n";
  });
}

void register_reset(CLI::App* group, Context& context, const std::shared_ptr<MigrateFlags>& flags) {
  auto reset_flags = std::make_shared<ResetFlags>();
  CLI::App* reset = group->add_subcommand(
      "reset",
      "Drop the database's schema with all its data and apply every migration again (needs --force)");
  reset->add_flag("--force", reset_flags->force, "Really drop everything in the schema");
  reset->add_flag("--i-know-this-is-production", reset_flags->production,
                  "Allow a database marked production (see `soulstone db mark`)");
  reset->callback([&context, flags, reset_flags] {
    migrate::MigrationsDir dir = migrate::read_migrations_dir(flags->migrations_dir());
    pg::Connection connection = connect(context);
    migrate::ResetResult result =
        migrate::reset(connection, dir,
                       {.force = reset_flags->force,
                        .production_override = reset_flags->production,
                        .deploy = {.lock_timeout = flags->lock_timeout(),
                                   .on_applied = [&](const migrate::AppliedMigration& applied) {
                                     if (!context.json)
                                       std::cout << "applied " << applied.name << " ("
                                                 << milliseconds(applied.duration) << ")\n";
                                   }}});
    if (context.json)
      return print_json({{"database", connection.display_url()},
                         {"schema", result.schema},
                         {"dropped_tables", result.dropped_tables},
                         {"applied", applied_json(result.deploy.applied)}});
    std::cout << "Database reset: schema \"" << result.schema << "\" recreated, "
              << plural(result.dropped_tables.size(), "table") << " dropped, "
              << plural(result.deploy.applied.size(), "migration") << " applied.\n";
  });
}

}  // namespace

void register_migrate_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<MigrateFlags>();
  CLI::App* group = root.add_subcommand("migrate", "Schema migrations, compatible with Prisma Migrate");
  group->require_subcommand(1);
  group->footer(
      "Exit codes: 0 ok; 1 status not up to date, lock timeout, resolve conflict; 3 missing migrations "
      "folder,\n"
      "provider mismatch, unknown migration; 4 database unreachable or a migration's SQL failed;\n"
      "7 refused: failed migration unresolved (P3009), non-empty database without history (P3005),\n"
      "reset without --force or against a production database.");
  group->add_option("--schema", flags->schema,
                    "Prisma schema file or folder (default apps/api/prisma/schema.prisma)");
  group->add_option("--migrations", flags->migrations,
                    "Migrations folder (default: migrations/ beside the schema)");
  group
      ->add_option("--lock-timeout", flags->lock_timeout_seconds,
                   "Seconds to wait for the migration lock (default 10, as Prisma)")
      ->check(CLI::PositiveNumber);

  register_deploy(group, context, flags);
  register_status(group, context, flags);
  register_resolve(group, context, flags);
  register_reset(group, context, flags);
  register_migrate_diff_commands(*group, context, flags);  // diff (and dev), migrate_diff_command.cpp
  for (CLI::App* sub : group->get_subcommands([](const CLI::App*) { return true; }))
    sub->fallthrough();
}

}  // namespace soulstone::cli
