// soulstone db seed: deterministic fixtures from the schema, loaded with COPY.

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "model/from_schema.hpp"
#include "pg/connection.hpp"
#include "psl/psl.hpp"
#include "seed/seed.hpp"

namespace soulstone::cli {

namespace {

struct SeedFlags {
  std::string schema = "apps/api/prisma/schema.prisma";
  std::string config;  // default: seed.toml beside the schema
  std::string soulstone_toml = "soulstone.toml";
  double scale = 1;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> only;
  std::string format = "binary";
  unsigned threads = 0;
  bool dry_run = false;
  bool production_override = false;
};

std::filesystem::path config_path(const SeedFlags& flags) {
  if (!flags.config.empty()) return flags.config;
  std::filesystem::path schema(flags.schema);
  std::filesystem::path folder = std::filesystem::is_directory(schema) ? schema : schema.parent_path();
  return folder / "seed.toml";
}

nlohmann::json plan_json(const seed::Plan& plan) {
  nlohmann::json tables = nlohmann::json::array();
  for (const seed::Plan::TableInfo& table : plan.tables())
    tables.push_back({{"table", table.name},
                      {"model", table.model},
                      {"rows", table.rows},
                      {"depth", table.depth},
                      {"notes", table.notes}});
  return tables;
}

void run_seed(const Context& context, const SeedFlags& flags) {
  psl::Schema schema = psl::load(flags.schema);
  seed::Config config = seed::load_config(config_path(flags));
  std::uint64_t seed_value = flags.seed.value_or(config.seed.value_or(1));
  seed::Plan plan =
      seed::make_plan(schema, model::from_schema(schema), config, {.seed = seed_value, .scale = flags.scale});
  if (flags.dry_run) {
    if (context.json)
      return print_json({{"seed", seed_value},
                         {"scale", flags.scale},
                         {"rows", plan.total_rows()},
                         {"tables", plan_json(plan)}});
    std::cout << "plan for seed " << seed_value << ", scale " << flags.scale << " (nothing loaded):\n";
    for (const seed::Plan::TableInfo& table : plan.tables()) {
      std::cout << "  " << table.name << ": " << table.rows << " rows\n";
      for (const std::string& note : table.notes)
        std::cout << "    note: " << note << '\n';
    }
    std::cout << "  total: " << plan.total_rows() << " rows\n";
    return;
  }
  pg::Connection connection = pg::Connection::open(context.database());
  seed::LoadOptions options{
      .only = flags.only,
      .format = flags.format == "text" ? seed::CopyFormat::Text : seed::CopyFormat::Binary,
      .threads = flags.threads,
      .production_override = flags.production_override,
      .configured_environment = seed::configured_environment(flags.soulstone_toml),
  };
  seed::Report report = seed::load(connection, plan, options);
  if (context.json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const seed::TableReport& table : report.tables)
      tables.push_back({{"table", table.table}, {"rows", table.rows}, {"seconds", table.seconds}});
    return print_json({{"database", connection.display_url()},
                       {"seed", seed_value},
                       {"scale", flags.scale},
                       {"format", seed::to_string(report.format)},
                       {"rows", report.rows},
                       {"seconds", report.seconds},
                       {"tables", tables},
                       {"emptied", report.emptied},
                       {"rebuilt",
                        {{"indexes", report.rebuilt_indexes},
                         {"foreign_keys", report.rebuilt_foreign_keys},
                         {"seconds", report.rebuild_seconds}}}});
  }
  for (const seed::TableReport& table : report.tables)
    std::cout << "  " << table.table << ": " << table.rows << " rows\n";
  if (!report.emptied.empty()) {
    std::cout << "  emptied (they reference the tables above):";
    for (const std::string& name : report.emptied)
      std::cout << ' ' << name;
    std::cout << '\n';
  }
  std::cout << "  indexes and keys rebuilt after the load: " << report.rebuilt_indexes << " indexes, "
            << report.rebuilt_foreign_keys << " foreign keys, " << report.rebuild_seconds << " s\n";
  std::cout << "seeded " << connection.display_url() << ": " << report.rows << " rows in "
            << report.tables.size() << " tables, " << report.seconds << " s (seed " << seed_value
            << ", scale " << flags.scale << ", " << seed::to_string(report.format) << " COPY)\n";
}

}  // namespace

void register_seed_command(CLI::App& db, Context& context) {
  auto flags = std::make_shared<SeedFlags>();  // outlives parsing: the callback reads it
  CLI::App* command = db.add_subcommand(
      "seed", "Replace the data of the schema's tables with deterministic fixtures (one transaction)");
  command->add_option("--scale", flags->scale, "Multiply every row count (default 1)")
      ->check(CLI::Range(0.0, 1e6));
  command->add_option("--seed", flags->seed, "The seed (default: seed in seed.toml, else 1)");
  command
      ->add_option("--only", flags->only,
                   "Seed only these models (and the models they reference), comma-separated")
      ->delimiter(',');
  command->add_option("--schema", flags->schema, "A .prisma file or a folder of .prisma files");
  command->add_option("--config", flags->config, "The seed rules (default: seed.toml beside the schema)");
  command->add_option("--format", flags->format, "COPY format: binary (default) or text")
      ->check(CLI::IsMember({"binary", "text"}));
  command->add_option("--threads", flags->threads, "Generator threads (default: one less than the CPUs)");
  command->add_flag("--dry-run", flags->dry_run, "Print the row counts of the plan; touch no database");
  command->add_flag("--i-know-this-is-production", flags->production_override,
                    "Seed even a database marked production (DESTROYS its data)");
  command->footer(
      "Truncates the schema's tables (never _prisma_migrations or tables outside the schema) and loads\n"
      "fixtures in one transaction; on any failure the previous data stays. Refuses a database marked\n"
      "production (soulstone db mark) or environment = \"production\" in soulstone.toml.\n"
      "Exit codes: 0 seeded, 2 usage, 3 bad schema or seed.toml, 4 database error (rolled back), 7 refused.");
  command->callback([&context, flags] { run_seed(context, *flags); });
}

}  // namespace soulstone::cli
