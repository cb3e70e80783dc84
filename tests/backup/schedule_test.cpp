#include "backup/schedule.hpp"

#include <gtest/gtest.h>

namespace soulstone::backup {
namespace {

TEST(Schedule, CronRunsTheBackupAtTwoAndPrunesOnlyAfterSuccess) {
  std::string cron = cron_file({.store = "s3://shop-backups/nightly"});
  EXPECT_NE(
      cron.find("\n0 2 * * * root set -a; . /etc/soulstone/backup.env; set +a; /usr/local/bin/soulstone "
                "backup run --store s3://shop-backups/nightly --metrics-file "
                "/var/lib/node_exporter/textfile_collector/soulstone_backup.prom && /usr/local/bin/soulstone "
                "backup prune --store s3://shop-backups/nightly\n"),
      std::string::npos)
      << cron;
  EXPECT_NE(cron.find("\n17 * * * * root "), std::string::npos);
  EXPECT_NE(cron.find("backup check --max-age 26h --store s3://shop-backups/nightly"), std::string::npos);
}

TEST(Schedule, SystemdUnitsPruneOnlyAfterASuccessfulRun) {
  std::string units = systemd_units({.hour = 3, .minute = 30});
  EXPECT_NE(units.find("# ---- soulstone-backup.service\n"), std::string::npos);
  EXPECT_NE(units.find("ExecStart=/usr/local/bin/soulstone backup run --metrics-file"), std::string::npos);
  EXPECT_NE(units.find("ExecStartPost=/usr/local/bin/soulstone backup prune\n"), std::string::npos);
  EXPECT_NE(units.find("OnCalendar=*-*-* 03:30:00\nPersistent=true"), std::string::npos);
  EXPECT_NE(units.find("# ---- soulstone-backup-check.timer\n"), std::string::npos);
  EXPECT_NE(units.find("OnCalendar=hourly"), std::string::npos);
}

}  // namespace
}  // namespace soulstone::backup
