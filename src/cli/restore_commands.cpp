// soulstone restore [ID|latest] --to URL: a backup from the store into a database.

#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/interrupt.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/store_settings.hpp"
#include "restore/restore.hpp"
#include "store/cancellable.hpp"

namespace soulstone::cli {

namespace {

struct RestoreFlags {
  std::string id = "latest";
  std::string to;
  std::string store;
  bool create = false;
  bool clean = false;
  bool production = false;
  int jobs = 1;
  std::string staging_dir;
  std::string maintenance_work_mem = "256MB";
};

// One progress line per phase: the label changes when the phase does.
class PhaseProgress {
 public:
  explicit PhaseProgress(bool enabled) : enabled_(enabled) {}
  void update(restore::Phase phase, std::uint64_t done) {
    if (!line_ || phase != phase_) {
      if (line_) line_->done();
      line_ = std::make_unique<Progress>(restore::to_string(phase), enabled_);
      phase_ = phase;
    }
    line_->update(done);
  }
  void done() {
    if (line_) line_->done();
  }

 private:
  bool enabled_;
  restore::Phase phase_ = restore::Phase::Streaming;
  std::unique_ptr<Progress> line_;
};

nlohmann::json to_json(const restore::Result& result) {
  return {{"id", result.id},
          {"target", result.target},
          {"created", result.created},
          {"cleaned", result.cleaned},
          {"mode", result.jobs > 1 ? "staged" : "streamed"},
          {"jobs", result.jobs},
          {"stored_bytes", result.stored_size},
          {"dump_bytes", result.dump_size},
          {"tables", result.tables},
          {"rows", result.rows},
          {"seconds",
           {{"proving", result.proving.count()},
            {"restoring", result.restoring.count()},
            {"total", result.total.count()}}}};
}

}  // namespace

void register_restore_commands(CLI::App& root, Context& context) {
  auto flags = std::make_shared<RestoreFlags>();
  CLI::App* command = root.add_subcommand(
      "restore",
      "Restore a backup from the store into a database, proven against its manifest before anything is "
      "committed");
  command->add_option("id", flags->id, "Backup id, or latest (the newest good backup)")
      ->capture_default_str();
  command->add_option("--to", flags->to, "Target database URL (its database is created with --create)")
      ->required();
  command->add_option("--store", flags->store,
                      "Backup store: file:///folder or s3://bucket/prefix (default: SOULSTONE_BACKUP_URL)");
  command->add_flag("--create", flags->create, "Create the target database when it does not exist");
  command->add_flag("--clean", flags->clean,
                    "Allow a target that holds tables: drop and replace the objects the backup holds");
  command
      ->add_option("--jobs", flags->jobs,
                   "Parallel pg_restore sessions; above 1 the proven dump is staged in a private temporary "
                   "file first")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  command->add_option("--staging-dir", flags->staging_dir,
                      "Folder for the staged dump with --jobs (default: TMPDIR, else /tmp)");
  command
      ->add_option("--maintenance-work-mem", flags->maintenance_work_mem,
                   "maintenance_work_mem of the restore's sessions, for index builds")
      ->capture_default_str();
  command->add_flag("--i-know-this-is-production", flags->production,
                    "Allow a target marked production (see `soulstone db mark`)");
  command->footer(
      "SIGINT or SIGTERM stops a restore cleanly: the archive's next piece is refused and pg_restore is\n"
      "terminated, so nothing is committed, a database made by --create is dropped and a staged dump\n"
      "removed (exit 130). A second signal exits at once.\n"
      "Exit codes: 0 restored; 1 the archive failed verification or the backup is not good; 3 unknown\n"
      "backup, missing database, missing or wrong key; 4 the target refused a statement; 5 pg_restore\n"
      "failed; 6 the store failed; 7 refused; 130 stopped by a signal.");
  command->callback([&context, flags] {
    // Ctrl-C must not leave a staged plain dump or a half-made database behind.
    StopOnSignal interrupt;
    auto store = store::cancellable(open_configured_store(flags->store), interrupt.token());
    catalog::Catalog catalog = catalog::read_catalog(*store);
    const catalog::Entry& backup = restore::choose_backup(catalog, flags->id, store->describe());
    pg::ConnInfo target = pg::ConnInfo::parse(flags->to);
    PhaseProgress progress(!context.json);
    restore::Result result;
    try {
      result = restore::restore(*store, backup, target, configured_key(),
                                {.create = flags->create,
                                 .clean = flags->clean,
                                 .production_override = flags->production,
                                 .jobs = flags->jobs,
                                 .staging_dir = flags->staging_dir,
                                 .session_settings = restore::bulk_load_settings(flags->maintenance_work_mem),
                                 .progress = [&](restore::Phase phase, std::uint64_t done, std::uint64_t) {
                                   progress.update(phase, done);
                                 }});
    } catch (const Error& error) {
      progress.done();
      // pg_restore terminated by the stop fails as a tool would: say what stopped it.
      if (interrupt.received() != 0 && error.kind() != ErrorKind::Interrupted)
        throw Error(ErrorKind::Interrupted,
                    std::string("restore stopped by ") + interrupt.received_name() + ": " + error.what());
      throw;
    } catch (...) {
      progress.done();
      throw;
    }
    progress.done();
    if (context.json) return print_json(to_json(result));
    std::cout << std::fixed << std::setprecision(1) << "restored " << result.id << " into " << result.target
              << (result.created ? " (created)" : "") << ": " << human_bytes(result.stored_size)
              << " stored, " << human_bytes(result.dump_size) << " dump, " << result.tables << " tables, "
              << result.rows << " rows, "
              << (result.jobs > 1 ? "staged, pg_restore --jobs " + std::to_string(result.jobs)
                                  : std::string("streamed in one transaction"))
              << ", " << result.total.count() << " s\n";
  });
}

}  // namespace soulstone::cli
