#include "archive/manifest.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/error.hpp"

namespace soulstone::archive {

namespace {

using nlohmann::json;
constexpr const char* kFormat = "soulstone-backup-manifest";

}  // namespace

long long Manifest::rows_total() const {
  long long total = 0;
  for (const auto& table : tables)
    total += table.rows;
  return total;
}

std::string format_utc(std::chrono::system_clock::time_point at) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(at);
  auto day = std::chrono::floor<std::chrono::days>(seconds);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss time{seconds - day};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long>(time.seconds().count()));
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char zulu = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &year, &month, &day, &hour, &minute, &second,
                  &zulu) != 7 ||
      zulu != 'Z' || text.size() != 20)
    return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  // system_clock counts nanoseconds in 64 bits: it ends in 2262.
  if (!date.ok() || year < 1970 || year > 2200 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

std::string to_json(const Manifest& m) {
  json tables = json::array();
  for (const auto& t : m.tables)
    tables.push_back(
        {{"schema", t.schema}, {"name", t.name}, {"rows", t.rows}, {"fingerprint", t.fingerprint}});
  json migrations = json::array();
  for (const auto& applied : m.migrations)
    migrations.push_back(
        {{"name", applied.name}, {"checksum", applied.checksum}, {"finished_at", applied.finished_at}});
  json encryption = nullptr;
  if (m.encryption_key_id)
    encryption = {{"algorithm", "aes-256-gcm-records-v1"}, {"key_id", *m.encryption_key_id}};
  json document = {
      {"format", kFormat},
      {"version", Manifest::kVersion},
      {"id", m.id},
      {"database", m.database},
      {"server_version", m.server_version},
      {"pg_dump_version", m.pg_dump_version},
      {"started_at", format_utc(m.started_at)},
      {"finished_at", format_utc(m.finished_at)},
      {"archive",
       {{"key", m.archive_key},
        {"stored_size", m.stored_size},
        {"stored_sha256", m.stored_sha256},
        {"dump_size", m.dump_size},
        {"dump_sha256", m.dump_sha256},
        {"compression", {{"algorithm", "zstd"}, {"level", m.zstd_level}}},
        {"encryption", encryption}}},
      {"rows_total", m.rows_total()},
      {"tables", tables},
      {"migrations", migrations},
  };
  return document.dump(2) + "\n";
}

Manifest manifest_from_json(const std::string& text, const std::string& where) {
  auto fail = [&](const std::string& what) {
    return Error(ErrorKind::Failure, "manifest " + where + " is unusable: " + what,
                 "a manifest is written by soulstone only after its archive is verified; do not edit it");
  };
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) throw fail("not a JSON object");
  if (document.value("format", "") != kFormat) throw fail("not a soulstone backup manifest");
  if (document.value("version", 0) != Manifest::kVersion)
    throw fail("format version " + document.value("version", json(0)).dump() + " is not supported (1 is)");
  try {
    Manifest m;
    m.id = document.at("id").get<std::string>();
    m.database = document.at("database").get<std::string>();
    m.server_version = document.at("server_version").get<int>();
    m.pg_dump_version = document.at("pg_dump_version").get<std::string>();
    auto started = parse_utc(document.at("started_at").get<std::string>());
    auto finished = parse_utc(document.at("finished_at").get<std::string>());
    if (!started || !finished) throw fail("started_at/finished_at are not RFC 3339 UTC times");
    m.started_at = *started;
    m.finished_at = *finished;
    const json& archive = document.at("archive");
    m.archive_key = archive.at("key").get<std::string>();
    m.stored_size = archive.at("stored_size").get<std::uint64_t>();
    m.stored_sha256 = archive.at("stored_sha256").get<std::string>();
    m.dump_size = archive.at("dump_size").get<std::uint64_t>();
    m.dump_sha256 = archive.at("dump_sha256").get<std::string>();
    m.zstd_level = archive.at("compression").at("level").get<int>();
    if (!archive.at("encryption").is_null())
      m.encryption_key_id = archive.at("encryption").at("key_id").get<std::string>();
    for (const json& t : document.at("tables"))
      m.tables.push_back({t.at("schema").get<std::string>(), t.at("name").get<std::string>(),
                          t.at("rows").get<long long>(), t.at("fingerprint").get<std::string>()});
    for (const json& applied : document.at("migrations"))
      m.migrations.push_back({applied.at("name").get<std::string>(),
                              applied.at("checksum").get<std::string>(),
                              applied.at("finished_at").get<std::string>()});
    return m;
  } catch (const json::exception& error) {
    throw fail(error.what());
  }
}

}  // namespace soulstone::archive
