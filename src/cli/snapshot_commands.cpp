// soulstone snapshot create|restore: local snapshots for developers.

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "snapshot/snapshot.hpp"

namespace soulstone::cli {

namespace {

struct SnapshotFlags {
  std::string file = "local.dump.zst";
  bool force = false;
  std::string to;
  bool clean = false;
  bool production = false;
  bool anonymize = false;
  std::string schema = "apps/api/prisma/schema.prisma";
  std::string columns_record = ".soulstone/snapshot-columns.json";
};

std::optional<snapshot::AnonymizeOptions> anonymize_options(const SnapshotFlags& flags) {
  if (!flags.anonymize) return std::nullopt;
  const char* salt = std::getenv("SOULSTONE_ANONYMIZE_SALT");
  return snapshot::AnonymizeOptions{
      .schema = flags.schema, .salt = salt != nullptr ? salt : "", .columns_record = flags.columns_record};
}

nlohmann::json anonymized_json(const snapshot::AnonymizeReport& report) {
  return {{"marked_columns", report.marked_columns},
          {"tables", report.tables},
          {"rows", report.rows},
          {"values", report.values},
          {"columns_record", report.columns_record.string()},
          {"first_record", report.first_record},
          {"new_columns", report.new_columns}};
}

void print_anonymized(const snapshot::AnonymizeReport& report) {
  std::cout << "anonymised " << report.values << " values of " << report.marked_columns << " @pii columns in "
            << report.tables << " tables (" << report.rows << " rows)\n";
  if (report.first_record)
    std::cout << "columns recorded in " << report.columns_record.string()
              << " (first anonymised snapshot: nothing to compare with)\n";
  for (const auto& column : report.new_columns)
    std::cout << "new since the last anonymised snapshot: " << column << "\n";
}

}  // namespace

void register_snapshot_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* group = root.add_subcommand("snapshot", "Local snapshots for development (never customer data)");
  group->require_subcommand(1);

  CLI::App* create = group->add_subcommand(
      "create", "Dump the database (DATABASE_URL or the embedded server) into a local file, mode 0600");
  create->add_option("file", flags->file, "File to write (default local.dump.zst)");
  create->add_flag("--force", flags->force, "Replace the file if it exists");
  create->add_flag("--anonymize", flags->anonymize,
                   "Replace every /// @pii(kind) column with a keyed fake of its kind while dumping\n"
                   "(salt from SOULSTONE_ANONYMIZE_SALT); refuses unmarked personal-looking columns");
  create->add_option("--schema", flags->schema, "The schema whose @pii markers --anonymize applies")
      ->capture_default_str();
  create
      ->add_option("--columns-record", flags->columns_record,
                   "Where --anonymize records the columns it saw, to report new ones next time")
      ->capture_default_str();
  create->footer(
      "Exit codes: 0 written, 2 usage, 3 bad schema, markers or salt, 4 database error, 5 pg_dump failed,\n"
      "7 refused (file exists without --force, production source without --anonymize, unmarked\n"
      "personal-looking columns), 130 stopped by SIGINT/SIGTERM. Nothing is written when it fails.");
  create->callback([&context, flags] {
    // Ctrl-C stops pg_dump and removes the half-written file.
    StopOnSignal interrupt;
    Progress progress("dumping", !context.json);
    snapshot::CreateResult result;
    try {
      result = snapshot::create(context.database(), {.file = flags->file,
                                                     .replace = flags->force,
                                                     .progress =
                                                         [&](std::uint64_t b) {
                                                           if (interrupt.received() != 0)
                                                             throw Error(ErrorKind::Interrupted, "stopped");
                                                           progress.update(b);
                                                         },
                                                     .anonymize = anonymize_options(*flags)});
    } catch (...) {
      progress.done();
      if (interrupt.received() != 0)
        throw Error(ErrorKind::Interrupted, std::string("snapshot stopped by ") + interrupt.received_name() +
                                                ": nothing was written to " + flags->file);
      throw;
    }
    progress.done();
    if (context.json) {
      nlohmann::json out = {{"file", result.file.string()},     {"size_bytes", result.size},
                            {"sha256", result.sha256},          {"dump_bytes", result.dump_size},
                            {"tables", result.tables},          {"rows", result.rows},
                            {"seconds", result.elapsed.count()}};
      if (result.anonymized) out["anonymized"] = anonymized_json(*result.anonymized);
      return print_json(out);
    }
    std::cout << std::fixed << std::setprecision(2) << "snapshot " << result.file.string() << ": "
              << human_bytes(result.size) << " (" << human_bytes(result.dump_size) << " dumped), "
              << result.tables << " tables, " << result.rows << " rows, " << result.elapsed.count() << " s\n";
    if (result.anonymized) print_anonymized(*result.anonymized);
  });

  CLI::App* restore = group->add_subcommand(
      "restore", "Restore a snapshot file into a database (DATABASE_URL, --to, or the embedded server)");
  restore->add_option("file", flags->file, "Snapshot file to restore")->required();
  restore->add_option("--to", flags->to,
                      "Target database URL (default: DATABASE_URL, else the embedded server)");
  restore->add_flag("--clean", flags->clean,
                    "Drop and replace the objects the snapshot holds in a non-empty target");
  restore->add_flag("--i-know-this-is-production", flags->production,
                    "Allow a target marked production (see `soulstone db mark`)");
  restore->callback([&context, flags] {
    pg::ConnInfo target = flags->to.empty() ? context.database() : pg::ConnInfo::parse(flags->to);
    auto result = snapshot::restore(flags->file, target,
                                    {.clean = flags->clean, .production_override = flags->production});
    if (context.json)
      return print_json({{"file", flags->file},
                         {"target", target.redacted()},
                         {"dump_bytes", result.dump_size},
                         {"data_blocks", result.data_blocks},
                         {"seconds", result.elapsed.count()}});
    std::cout << std::fixed << std::setprecision(2) << "restored " << flags->file << " into "
              << target.redacted() << ": " << human_bytes(result.dump_size) << ", " << result.data_blocks
              << " data blocks, " << result.elapsed.count() << " s\n";
  });
}

}  // namespace soulstone::cli
