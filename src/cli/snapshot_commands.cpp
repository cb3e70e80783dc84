// soulstone snapshot create|restore: local snapshots for developers.

#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
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
};

}  // namespace

void register_snapshot_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* group = root.add_subcommand("snapshot", "Local snapshots for development (never customer data)");
  group->require_subcommand(1);

  CLI::App* create = group->add_subcommand(
      "create", "Dump the database (DATABASE_URL or the embedded server) into a local file, mode 0600");
  create->add_option("file", flags->file, "File to write (default local.dump.zst)");
  create->add_flag("--force", flags->force, "Replace the file if it exists");
  create->callback([&context, flags] {
    Progress progress("dumping", !context.json);
    auto result = snapshot::create(
        context.database(), {.file = flags->file, .replace = flags->force, .progress = [&](std::uint64_t b) {
                               progress.update(b);
                             }});
    progress.done();
    if (context.json)
      return print_json({{"file", result.file.string()},
                         {"size_bytes", result.size},
                         {"sha256", result.sha256},
                         {"dump_bytes", result.dump_size},
                         {"tables", result.tables},
                         {"rows", result.rows},
                         {"seconds", result.elapsed.count()}});
    std::cout << std::fixed << std::setprecision(2) << "snapshot " << result.file.string() << ": "
              << human_bytes(result.size) << " (" << human_bytes(result.dump_size) << " dumped), "
              << result.tables << " tables, " << result.rows << " rows, " << result.elapsed.count() << " s\n";
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
