#include "migrate/migrations_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "migrate/checksum.hpp"

namespace soulstone::migrate {
namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

TEST(MigrationsDir, ReadsEveryFolderInNameOrderWithItsChecksum) {
  TempDir dir("migrate-dir-");
  write(dir.path() / "20240102000000_b" / "migration.sql", "SELECT 2;\r\n");
  write(dir.path() / "20240101000000_a" / "migration.sql", "SELECT 1;\n");
  write(dir.path() / "migration_lock.toml", "provider = \"postgresql\"\n");
  write(dir.path() / "README.md", "not a migration");
  MigrationsDir read = read_migrations_dir(dir.path());
  ASSERT_EQ(read.migrations.size(), 2u);
  EXPECT_EQ(read.migrations[0].name, "20240101000000_a");
  EXPECT_EQ(read.migrations[1].name, "20240102000000_b");
  EXPECT_EQ(read.migrations[1].script, "SELECT 2;\r\n");  // bytes unchanged
  EXPECT_EQ(read.migrations[1].checksum, checksum("SELECT 2;\r\n"));
  EXPECT_EQ(read.lock_file, "provider = \"postgresql\"\n");
  EXPECT_NE(read.find("20240101000000_a"), nullptr);
  EXPECT_EQ(read.find("20240101000000"), nullptr);
}

TEST(MigrationsDir, AMissingFolderIsOneClearError) {
  TempDir dir("migrate-dir-");
  try {
    (void)read_migrations_dir(dir.path() / "nope");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              "migrations folder " + (dir.path() / "nope").string() + " not found");
  }
}

TEST(MigrationsDir, AFolderWithoutMigrationSqlIsAnError) {
  TempDir dir("migrate-dir-");
  std::filesystem::create_directories(dir.path() / "20240101000000_a");
  try {
    (void)read_migrations_dir(dir.path());
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "migration 20240101000000_a has no migration.sql (" +
                                             (dir.path() / "20240101000000_a" / "migration.sql").string() +
                                             " is missing or unreadable)");
  }
}

TEST(MigrationsDir, LivesBesideTheSchema) {
  EXPECT_EQ(migrations_dir_for("apps/api/prisma/schema.prisma"), "apps/api/prisma/migrations");
  EXPECT_EQ(migrations_dir_for("schema.prisma"), "./migrations");
  EXPECT_EQ(migrations_dir_for("apps/api/prisma/schema.prisma", "db/m"), "db/m");
}

TEST(MigrationsDir, NewFoldersAreNamedByUtcTime) {
  using namespace std::chrono;
  sys_seconds when = sys_days{year{2024} / 3 / 9} + hours{7} + minutes{5} + seconds{2};
  EXPECT_EQ(migration_folder_name(when, "add_orders"), "20240309070502_add_orders");
}

}  // namespace
}  // namespace soulstone::migrate
