#pragma once
// Ready-to-install schedules for the guide's nightly job: the backup at 02:00,
// then prune (only after a successful backup: `&&`), and the hourly staleness
// check. Pure text generation; `soulstone backup schedule --print` shows it.

#include <string>

namespace soulstone::backup {

struct ScheduleOptions {
  std::string binary = "/usr/local/bin/soulstone";
  std::string store;  // the --store URL; empty: SOULSTONE_BACKUP_URL from the environment file
  std::string environment_file = "/etc/soulstone/backup.env";  // DATABASE_URL, AWS_*, ...
  int hour = 2;
  int minute = 0;
  std::string max_age = "26h";
  std::string metrics_file = "/var/lib/node_exporter/textfile_collector/soulstone_backup.prom";
};

// One crontab file (for /etc/cron.d/soulstone-backup).
[[nodiscard]] std::string cron_file(const ScheduleOptions& options);

// systemd units, concatenated with "# ---- <name>" separators: a oneshot
// service with its timer for the nightly run, and another pair for the check.
[[nodiscard]] std::string systemd_units(const ScheduleOptions& options);

}  // namespace soulstone::backup
