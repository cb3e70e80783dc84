// The new migration of `migrate dev`: its name, its folder, its files.

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <regex>

#include "base/error.hpp"
#include "base/temp_dir.hpp"
#include "base/unique_fd.hpp"
#include "migrate/dev_phases.hpp"
#include "migrate/lock_file.hpp"

namespace soulstone::migrate {

namespace {

// Prisma's CLI names migrations with @sindresorhus/slugify 1.1.2 (separator
// "_"): its transliteration first, which for the Latin letters a name may
// hold means the German spellings (ä -> ae, ß -> ss) and otherwise the
// letter without its accent. Other scripts are not transliterated here:
// their letters become separators.
std::string_view latin(char32_t c) {
  switch (c) {
    case U'ä':
      return "ae";
    case U'Ä':
      return "Ae";
    case U'ö':
      return "oe";
    case U'Ö':
      return "Oe";
    case U'ü':
      return "ue";
    case U'Ü':
      return "Ue";
    case U'ß':
      return "ss";
    case U'ẞ':
      return "SS";
    case U'Æ':
      return "AE";
    case U'æ':
      return "ae";
    case U'Þ':
      return "TH";
    case U'þ':
      return "th";
    case U'Ð':
    case U'Đ':
      return "D";
    case U'ð':
    case U'đ':
      return "d";
    case U'Ĳ':
      return "IJ";
    case U'ĳ':
      return "ij";
    case U'Œ':
      return "OE";
    case U'œ':
      return "oe";
    case U'Ł':
      return "L";
    case U'ł':
      return "l";
    case U'Ø':
      return "O";
    case U'ø':
      return "o";
    case U'&':
      return " and ";
    case U'♥':
      return " love ";
    case U'🦄':
      return " unicorn ";
    default:
      break;
  }
  // Letters with accents, by block: À-ÿ and Ā-ž (lodash's deburr).
  static constexpr std::string_view kLatin1 =
      "AAAAAAxCEEEEIIIIxNOOOOOxxUUUUYxxaaaaaaxceeeeiiiixnooooo"
      "xxuuuuyxy";  // U+00C0..U+00FF
  static constexpr std::string_view kExtendedA =
      "AaAaAaCcCcCcCcDdxxEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIixxJjKkkLlLlLlLlxxNnNnNnnNnOoOoOoxxRrRrRrSsSsSsSsTtTt"
      "TtUuUuUuUuUuUuWwYyYZzZzZzs";
  static_assert(kLatin1.size() == 0x40 && kExtendedA.size() == 0x80);
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  auto pick = [&](std::string_view table, char32_t first) -> std::string_view {
    char letter = table[c - first];
    if (letter == 'x') return {};
    const char* at = std::char_traits<char>::find(kLetters, sizeof kLetters - 1, letter);
    return at == nullptr ? std::string_view{} : std::string_view(at, 1);
  };
  if (c >= 0xC0 && c <= 0xFF) return pick(kLatin1, 0xC0);
  if (c >= 0x100 && c < 0x100 + kExtendedA.size()) return pick(kExtendedA, 0x100);
  return {};
}

// Decodes UTF-8 (invalid bytes become U+FFFD, a separator).
std::u32string decode(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
    if (length == 0 || i + length > text.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t c = length == 1 ? lead : lead & (0x7F >> length);
    for (int k = 1; k < length; ++k)
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(c);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

}  // namespace

std::string sanitize_migration_name(std::string_view name) {
  std::string ascii;
  for (char32_t c : decode(name)) {
    if (c >= 0x300 && c <= 0x36F) continue;  // combining accents
    if (c < 0x80 && c != U'&') {
      ascii.push_back(static_cast<char>(c));
    } else if (std::string_view replaced = latin(c); !replaced.empty()) {
      ascii += replaced;
    } else {
      ascii.push_back(' ');
    }
  }
  // slugify's decamelize, then lower case, then one separator per run.
  static const std::regex kSteps[] = {std::regex("([A-Z]{2,})(\\d+)"), std::regex("([a-z\\d]+)([A-Z]{2,})"),
                                      std::regex("([a-z\\d])([A-Z])"),
                                      std::regex("([A-Z]+)([A-Z][a-z\\d]+)")};
  for (const std::regex& step : kSteps)
    ascii = std::regex_replace(ascii, step, "$1 $2");
  std::string out;
  for (char c : ascii) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  if (!out.empty() && out.back() == '_') out.pop_back();
  return out.substr(0, 200);
}

std::string next_folder_name(const MigrationsDir& dir, std::chrono::system_clock::time_point now,
                             std::string_view sanitized_name) {
  auto stamp = [](std::string_view name) { return name.substr(0, 14); };
  std::string name = migration_folder_name(now, sanitized_name);
  if (!dir.migrations.empty()) {
    // Folder names hold the creation order; a clock that is behind (or two
    // migrations within one second) must not put the new one first.
    const std::string& newest = dir.migrations.back().name;
    bool numeric = newest.size() >= 14 && std::all_of(newest.begin(), newest.begin() + 14,
                                                      [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && stamp(name) <= stamp(newest)) {
      std::tm when{};
      when.tm_year = std::stoi(newest.substr(0, 4)) - 1900;
      when.tm_mon = std::stoi(newest.substr(4, 2)) - 1;
      when.tm_mday = std::stoi(newest.substr(6, 2));
      when.tm_hour = std::stoi(newest.substr(8, 2));
      when.tm_min = std::stoi(newest.substr(10, 2));
      when.tm_sec = std::stoi(newest.substr(12, 2)) + 1;
      name = migration_folder_name(std::chrono::system_clock::from_time_t(::timegm(&when)), sanitized_name);
    }
  }
  return name;
}

namespace {

void write_durably(const std::filesystem::path& path, std::string_view text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd.valid()) throw Error(ErrorKind::Input, "cannot write " + path.string() + ": " + errno_text(errno));
  for (std::size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorKind::Input, "cannot write " + path.string() + ": " + errno_text(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0)
    throw Error(ErrorKind::Input, "cannot write " + path.string() + ": " + errno_text(errno));
}

void sync_folder(const std::filesystem::path& folder) {
  UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) (void)::fsync(fd.get());
}

}  // namespace

WrittenMigration write_migration(const std::filesystem::path& dir, const std::string& folder,
                                 std::string_view script) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error)
    throw Error(ErrorKind::Input,
                "cannot create the migrations folder " + dir.string() + ": " + error.message());
  WrittenMigration written{.file = dir / folder / kMigrationFileName};
  if (std::filesystem::exists(dir / folder))
    throw Error(ErrorKind::Input, "migration folder " + (dir / folder).string() + " already exists",
                "run migrate dev again a second later, or pick another --name");

  // Written beside the migrations folder (every folder inside it is a
  // migration) and renamed into it, so that a crash never leaves a migration
  // folder without its migration.sql (Prisma's P3015).
  std::filesystem::path parent = std::filesystem::absolute(dir).parent_path();
  TempDir staging(".soulstone-new-migration-", parent);
  std::filesystem::path draft = staging.path() / folder;
  std::filesystem::create_directory(draft);
  write_durably(draft / kMigrationFileName, script);
  if (::renameat2(AT_FDCWD, draft.c_str(), AT_FDCWD, (dir / folder).c_str(), RENAME_NOREPLACE) != 0)
    throw Error(ErrorKind::Input, "cannot create " + (dir / folder).string() + ": " + errno_text(errno));

  std::filesystem::path lock = dir / kLockFileName;
  if (!std::filesystem::exists(lock)) {
    std::filesystem::path temporary = staging.path() / kLockFileName;
    write_durably(temporary, render_lock_file());
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, lock.c_str(), RENAME_NOREPLACE) == 0)
      written.lock_file_written = true;
  }
  sync_folder(dir);
  return written;
}

}  // namespace soulstone::migrate
