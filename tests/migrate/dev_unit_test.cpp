// The pure parts of `migrate dev`: the migration's name and folder, the
// folder written whole, and the warnings header a new migration carries.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "migrate/data_loss.hpp"
#include "migrate/dev.hpp"
#include "migrate/dev_phases.hpp"
#include "migrate/diff.hpp"
#include "migrate/lock_file.hpp"
#include "model/from_schema.hpp"
#include "psl/psl.hpp"
#include "sql/render.hpp"

namespace soulstone::migrate {
namespace {

namespace fs = std::filesystem;
using std::chrono::sys_days;
using namespace std::chrono_literals;

const fs::path kEvolutions = fs::path(SOULSTONE_SOURCE_DIR) / "tests" / "migrate" / "evolutions";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Made with @sindresorhus/slugify 1.1.2 (the version Prisma's CLI pins) and
// separator "_", cut to 200 characters as Prisma's getMigrationName does.
TEST(MigrationName, IsSanitizedAsPrismasCliDoes) {
  const std::pair<const char*, const char*> cases[] = {
      {"init", "init"},
      {"Add user bio", "add_user_bio"},
      {"addUserBio", "add_user_bio"},
      {"AddUserBIO", "add_user_bio"},
      {"HTTPServer2", "http_server2"},
      {"APIKeys", "api_keys"},
      {"user.email!", "user_email"},
      {"  --Trim me--  ", "trim_me"},
      {"Größe & Maß", "groesse_and_mass"},
      {"Crème brûlée", "creme_brulee"},
      {"Łódź Ñandú", "lodz_nandu"},
      {"already_snake_case", "already_snake_case"},
      {"v2_Add__Index", "v2_add_index"},
      {"ÄÖÜ äöü", "ae_oe_ue_aeoeue"},
      {"Ordered items 10x", "ordered_items_10x"},
      {"JSONData", "json_data"},
      {"fooBARBaz", "foo_bar_baz"},
      {"123 numbers 456", "123_numbers_456"},
      {"!!!", ""},
      {"Cart→Order", "cart_order"},
      {"İstanbul ışık", "istanbul_isik"},
      {"Ĳssel œuvre", "i_jssel_oeuvre"},
      {"añadir_pedido", "anadir_pedido"},
      {"emoji 🦄 ♥ here", "emoji_unicorn_love_here"},
  };
  for (const auto& [name, expected] : cases)
    EXPECT_EQ(sanitize_migration_name(name), expected) << name;
  EXPECT_EQ(sanitize_migration_name(std::string(210, 'x')), std::string(200, 'x'));
}

TEST(MigrationFolder, IsTheUtcTimeAndTheName) {
  MigrationsDir empty{.path = "migrations"};
  auto when = sys_days{std::chrono::year{2024} / 3 / 9} + 7h + 5min + 2s;
  EXPECT_EQ(next_folder_name(empty, when, "add_user_bio"), "20240309070502_add_user_bio");
  EXPECT_EQ(next_folder_name(empty, when, ""), "20240309070502_");  // Prisma's name without --name
}

TEST(MigrationFolder, SortsAfterTheNewestEvenWhenTheClockDoesNot) {
  MigrationsDir dir{.path = "migrations"};
  dir.migrations.push_back({.name = "20240309070502_init"});
  auto same_second = sys_days{std::chrono::year{2024} / 3 / 9} + 7h + 5min + 2s;
  EXPECT_EQ(next_folder_name(dir, same_second, "add"), "20240309070503_add");
  dir.migrations.back().name = "20241231235959_future";
  EXPECT_EQ(next_folder_name(dir, same_second, "add"), "20250101000000_add");
  EXPECT_EQ(next_folder_name(dir, same_second + std::chrono::years(2), "add").substr(0, 4), "2026");
}

TEST(MigrationFolder, IsWrittenWholeWithTheLockFile) {
  TempDir root("dev-unit-");
  fs::path dir = root.path() / "prisma" / "migrations";
  WrittenMigration written = write_migration(dir, "20240101000000_init", "CREATE TABLE a ();\n");
  EXPECT_EQ(written.file, dir / "20240101000000_init" / "migration.sql");
  EXPECT_EQ(read(written.file), "CREATE TABLE a ();\n");
  EXPECT_TRUE(written.lock_file_written);
  EXPECT_EQ(read(dir / "migration_lock.toml"), render_lock_file());
  // The staging folder beside it is gone; an existing lock file is kept.
  std::ofstream(dir / "migration_lock.toml", std::ios::trunc) << "provider = \"postgresql\"\n";
  WrittenMigration second = write_migration(dir, "20240102000000_next", "SELECT 1;\n");
  EXPECT_FALSE(second.lock_file_written);
  EXPECT_EQ(read(dir / "migration_lock.toml"), "provider = \"postgresql\"\n");
  std::vector<std::string> beside;
  for (const auto& entry : fs::directory_iterator(root.path() / "prisma"))
    beside.push_back(entry.path().filename().string());
  EXPECT_EQ(beside, std::vector<std::string>{"migrations"});
  try {
    (void)write_migration(dir, "20240102000000_next", "SELECT 2;\n");
    FAIL() << "overwrote a migration";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Input);
    EXPECT_EQ(std::string(error.what()),
              "migration folder " + (dir / "20240102000000_next").string() + " already exists");
  }
  EXPECT_EQ(read(dir / "20240102000000_next" / "migration.sql"), "SELECT 1;\n");
}

sql::Migration evolution(const std::string& pair) {
  return diff(model::from_schema(psl::load(kEvolutions / pair / "a.prisma")),
              model::from_schema(psl::load(kEvolutions / pair / "b.prisma")));
}

std::vector<std::string> header(const std::string& pair) {
  return header_lines(check_data_loss(evolution(pair)));
}

// The header of a new migration: Prisma's findings for a database it has not
// seen, in the words of its engine's checker (warnings first, then the steps
// that cannot run on data).
TEST(MigrationHeader, NamesWhatCouldBeLostWithoutLookingAtData) {
  EXPECT_EQ(header("drop-field"),
            std::vector<std::string>{"You are about to drop the column `bio` on the `User` table. All the "
                                     "data in the column will be lost."});
  EXPECT_EQ(header("drop-model"),
            std::vector<std::string>{
                "You are about to drop the `Tag` table. If the table is not empty, all the data "
                "it contains will be lost."});
  EXPECT_EQ(
      header("add-required-field"),
      std::vector<std::string>{"Added the required column `age` to the `User` table without a default value. "
                               "This is not possible if the table is not empty."});
  EXPECT_EQ(header("optional-to-required"),
            std::vector<std::string>{
                "Made the column `name` on table `User` required. This step will fail if there "
                "are existing NULL values in that column."});
  EXPECT_EQ(header("add-unique"),
            std::vector<std::string>{
                "A unique constraint covering the columns `[name]` on the table `User` will be "
                "added. If there are existing duplicate values, this will fail."});
  EXPECT_EQ(
      header("remove-enum-value"),
      std::vector<std::string>{"The values [GUEST] on the enum `Role` will be removed. If these variants are "
                               "still used in the database, this will fail."});
  EXPECT_EQ(
      header("change-primary-key"),
      std::vector<std::string>{"The primary key for the `Membership` table will be changed. If it partially "
                               "fails, the table could be left without primary key constraint."});
  EXPECT_EQ(
      header("add-cuid-field"),
      std::vector<std::string>{"The required column `publicId` was added to the `User` table with a "
                               "prisma-level default value. This is not possible if the table is not empty. "
                               "Please add this column as optional, then populate it before making it "
                               "required."});
  EXPECT_EQ(
      header("text-to-int"),
      std::vector<std::string>{"Changed the type of `code` on the `User` table. No cast exists, the column "
                               "would be dropped and recreated, which cannot be done if there is data, since "
                               "the column is required."});
  EXPECT_EQ(
      header("scalar-to-list"),
      std::vector<std::string>{"The `tags` column on the `User` table would be dropped and recreated. This "
                               "will lead to data loss if there is data in the column."});
  EXPECT_EQ(
      header("varchar-shrink"),
      std::vector<std::string>{"You are about to alter the column `title` on the `Post` table. The data in "
                               "that column could be lost. The data in that column will be cast from "
                               "`VarChar(255)` to `VarChar(100)`."});
  EXPECT_EQ(header("add-optional-field"), std::vector<std::string>{});
}

TEST(MigrationHeader, IsRenderedAboveTheSteps) {
  sql::Migration migration = evolution("drop-field");
  std::string script = sql::render_script(migration, header("drop-field"));
  EXPECT_EQ(script,
            "/*\n  Warnings:\n\n  - You are about to drop the column `bio` on the `User` table. All the data "
            "in the "
            "column will be lost.\n\n*/\n-- AlterTable\nALTER TABLE \"User\" DROP COLUMN \"bio\";\n");
}

}  // namespace
}  // namespace soulstone::migrate
