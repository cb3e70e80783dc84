#include "migrate/migrations_dir.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include "base/error.hpp"
#include "migrate/checksum.hpp"
#include "migrate/lock_file.hpp"

namespace soulstone::migrate {

namespace {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(ErrorKind::Input, "cannot read " + path.string() + ": " + errno_text(errno));
  return text;
}

}  // namespace

const LocalMigration* MigrationsDir::find(std::string_view name) const {
  for (const auto& migration : migrations)
    if (migration.name == name) return &migration;
  return nullptr;
}

MigrationsDir read_migrations_dir(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    bool exists = std::filesystem::exists(dir, error);
    throw Error(ErrorKind::Input,
                exists ? "migrations folder " + dir.string() + " is not a folder"
                       : "migrations folder " + dir.string() + " not found",
                "pass --migrations DIR (or --schema PATH, whose folder holds migrations/); "
                "`soulstone migrate dev` creates the first migration");
  }
  MigrationsDir out{.path = dir, .lock_file = read_file(dir / kLockFileName)};
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_directory()) continue;
    std::string name = entry.path().filename().string();
    std::filesystem::path file = entry.path() / kMigrationFileName;
    std::optional<std::string> script = read_file(file);
    if (!script) {
      throw Error(ErrorKind::Input,
                  "migration " + name + " has no " + std::string(kMigrationFileName) + " (" + file.string() +
                      " is missing or unreadable)",
                  "restore the file, or delete the folder if the migration was never meant to exist");
    }
    std::string sum = checksum(*script);
    out.migrations.push_back(
        {.name = std::move(name), .file = file, .script = std::move(*script), .checksum = sum});
  }
  std::sort(out.migrations.begin(), out.migrations.end(),
            [](const LocalMigration& a, const LocalMigration& b) { return a.name < b.name; });
  return out;
}

std::filesystem::path migrations_dir_for(const std::filesystem::path& schema,
                                         const std::filesystem::path& migrations) {
  if (!migrations.empty()) return migrations;
  std::error_code error;
  if (std::filesystem::is_directory(schema, error)) return schema / "migrations";
  std::filesystem::path parent = schema.parent_path();
  return (parent.empty() ? std::filesystem::path(".") : parent) / "migrations";
}

std::string migration_folder_name(std::chrono::system_clock::time_point when, std::string_view name) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  auto day = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss time(seconds - day);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d%02u%02u%02ld%02ld%02lld_", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return buffer + std::string(name);
}

}  // namespace soulstone::migrate
