// soulstone backup ...: the nightly job and its companions.

#include <cstdio>
#include <iostream>
#include <memory>

#include "backup/schedule.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace soulstone::cli {

namespace {

struct ScheduleFlags {
  std::string print;
  std::string at = "02:00";
  backup::ScheduleOptions options;
};

void parse_time_of_day(const std::string& text, backup::ScheduleOptions& options) {
  int hour = -1, minute = -1;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d:%d%c", &hour, &minute, &extra) != 2 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59)
    throw Error(ErrorKind::Usage, "--at expects a time of day as HH:MM, not '" + text + "'",
                "for example --at 02:00");
  options.hour = hour;
  options.minute = minute;
}

}  // namespace

void register_backup_commands(CLI::App& root, Context& context) {
  CLI::App* group =
      root.add_subcommand("backup", "Nightly backups: schedule (more commands land with the store)");
  group->require_subcommand(1);

  auto flags = std::make_shared<ScheduleFlags>();
  CLI::App* schedule = group->add_subcommand(
      "schedule",
      "Print the nightly job (backup at 02:00, prune after success, hourly check) for cron or systemd");
  schedule->add_option("--print", flags->print, "Which form to print")
      ->required()
      ->check(CLI::IsMember({"cron", "systemd"}));
  schedule->add_option("--at", flags->at,
                       "Time of day of the backup, HH:MM in the machine's zone (default 02:00)");
  schedule->add_option("--store", flags->options.store, "Backup store URL (default: SOULSTONE_BACKUP_URL)");
  schedule->add_option("--binary", flags->options.binary, "Path of soulstone on the machine")
      ->capture_default_str();
  schedule
      ->add_option("--env-file", flags->options.environment_file,
                   "File with DATABASE_URL, SOULSTONE_BACKUP_URL, AWS_* for the job")
      ->capture_default_str();
  schedule->add_option("--max-age", flags->options.max_age, "Staleness limit of the hourly check")
      ->capture_default_str();
  schedule->add_option("--metrics-file", flags->options.metrics_file, "Prometheus textfile the jobs write")
      ->capture_default_str();
  schedule->callback([&context, flags] {
    parse_time_of_day(flags->at, flags->options);
    std::string text =
        flags->print == "cron" ? backup::cron_file(flags->options) : backup::systemd_units(flags->options);
    if (context.json) return print_json({{"format", flags->print}, {"text", text}});
    std::cout << text;
  });
}

}  // namespace soulstone::cli
