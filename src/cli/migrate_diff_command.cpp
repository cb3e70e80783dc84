// `soulstone migrate diff`: Prisma's flags, output and exit codes. The
// sources are read by migrate::read_source, the difference is decided by
// migrate::diff and printed by sql::render_script / sql::render_summary.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "migrate/diff.hpp"
#include "migrate/diff_source.hpp"
#include "sql/render.hpp"

namespace soulstone::cli {

struct MigrateFlags;

namespace {

struct DiffFlags {
  bool from_empty = false, to_empty = false;
  std::string from_schema, to_schema, from_url, to_url, from_migrations, to_migrations;
  std::string shadow_database_url, output;
  bool script = false, exit_code = false;
};

migrate::DiffSource side(bool empty, const std::string& schema, const std::string& url,
                         const std::string& migrations, const char* which) {
  std::vector<migrate::DiffSource> given;
  if (empty) given.push_back({migrate::DiffSource::Kind::Empty, {}});
  if (!schema.empty()) given.push_back({migrate::DiffSource::Kind::Schema, schema});
  if (!url.empty()) given.push_back({migrate::DiffSource::Kind::Url, url});
  if (!migrations.empty()) given.push_back({migrate::DiffSource::Kind::Migrations, migrations});
  if (given.size() != 1) {
    std::string w(which);
    throw Error(ErrorKind::Usage, "migrate diff needs exactly one --" + w + "-... source",
                "use one of --" + w + "-empty, --" + w + "-schema FILE, --" + w + "-url URL, --" + w +
                    "-migrations DIR");
  }
  return given.front();
}

const char* kind_name(migrate::DiffSource::Kind kind) {
  switch (kind) {
    case migrate::DiffSource::Kind::Empty:
      return "empty";
    case migrate::DiffSource::Kind::Schema:
      return "schema";
    case migrate::DiffSource::Kind::Url:
      return "url";
    case migrate::DiffSource::Kind::Migrations:
      return "migrations";
  }
  return "";
}

void run_diff(const DiffFlags& flags, Context& context) {
  migrate::DiffSource from =
      side(flags.from_empty, flags.from_schema, flags.from_url, flags.from_migrations, "from");
  migrate::DiffSource to = side(flags.to_empty, flags.to_schema, flags.to_url, flags.to_migrations, "to");
  migrate::SourceOptions options;
  std::string shadow = flags.shadow_database_url;
  if (shadow.empty())
    if (const char* env = std::getenv("SHADOW_DATABASE_URL"); env != nullptr) shadow = env;
  if (!shadow.empty()) options.shadow = migrate::parse_database_url(shadow).conninfo;
  // Only a migrations folder needs a server (for its shadow database); the
  // embedded one is started on demand, so other diffs never touch it.
  bool needs_server =
      from.kind == migrate::DiffSource::Kind::Migrations || to.kind == migrate::DiffSource::Kind::Migrations;
  if (needs_server && !options.shadow) options.server = context.database();

  sql::Migration migration =
      migrate::diff(migrate::read_source(from, options), migrate::read_source(to, options));
  std::string text = flags.script ? sql::render_script(migration) : sql::render_summary(migration);
  if (text.empty() || text.back() != '\n') text += '\n';

  if (!flags.output.empty()) {
    std::ofstream out(flags.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      throw Error(ErrorKind::Input, "cannot write " + flags.output,
                  "check the folder exists and is writable");
  }
  if (context.json) {
    print_json({{"from", kind_name(from.kind)},
                {"to", kind_name(to.kind)},
                {"empty", migration.empty()},
                {"steps", migration.steps.size()},
                {flags.script ? "script" : "summary", text},
                {"output", flags.output}});
  } else if (flags.output.empty()) {
    std::cout << text;
  }
  if (flags.exit_code && !migration.empty()) throw ExitStatus{2};
}

}  // namespace

void register_migrate_diff_commands(CLI::App& migrate, Context& context,
                                    const std::shared_ptr<MigrateFlags>& migrate_flags) {
  auto flags = std::make_shared<DiffFlags>();
  CLI::App* diff = migrate.add_subcommand(
      "diff", "Compare two schema sources (empty, schema file, database, migrations folder); print the SQL");
  diff->footer(
      "Prints Prisma's summary of the difference, or with --script the SQL migration that turns\n"
      "--from into --to, byte for byte as `prisma migrate diff` prints it.\n"
      "Exit codes: 0 ok (with --exit-code: no difference), 2 (with --exit-code) a difference,\n"
      "1 (with --exit-code) any error; without --exit-code errors keep their usual codes.");
  diff->add_flag("--from-empty", flags->from_empty, "Start from an empty database");
  diff->add_flag("--to-empty", flags->to_empty, "End with an empty database");
  diff->add_option("--from-schema,--from-schema-datamodel", flags->from_schema,
                   "Start from a Prisma schema file or folder");
  diff->add_option("--to-schema,--to-schema-datamodel", flags->to_schema,
                   "End with a Prisma schema file or folder");
  diff->add_option("--from-url", flags->from_url, "Start from the live database at URL");
  diff->add_option("--to-url", flags->to_url, "End with the live database at URL");
  diff->add_option("--from-migrations", flags->from_migrations,
                   "Start from a migrations folder, replayed into a shadow database");
  diff->add_option("--to-migrations", flags->to_migrations,
                   "End with a migrations folder, replayed into a shadow database");
  diff->add_option(
      "--shadow-database-url", flags->shadow_database_url,
      "Shadow database for --*-migrations (default SHADOW_DATABASE_URL, else a temporary database)");
  diff->add_flag("--script", flags->script, "Print the SQL script instead of the summary");
  diff->add_flag("--exit-code", flags->exit_code,
                 "Exit 0 when there is no difference, 2 when there is, 1 on error");
  diff->add_option("--output,-o", flags->output, "Write the output to FILE instead of stdout");
  diff->callback([flags, &context] {
    if (!flags->exit_code) return run_diff(*flags, context);
    try {
      run_diff(*flags, context);
    } catch (const Error& error) {
      throw Error(ErrorKind::Failure, error.what(), error.hint());  // --exit-code: every error is 1
    }
  });
  if (migrate_flags) register_migrate_dev_command(migrate, context, migrate_flags);
}

}  // namespace soulstone::cli
