#include "migrate/history.hpp"

#include <openssl/rand.h>

#include <cstdio>

#include "base/error.hpp"

namespace soulstone::migrate {

namespace {

// Prisma's DDL (sql-schema-connector, postgres flavour), whitespace included,
// so that even a statement log reads the same.
constexpr std::string_view kCreateTable =
    "CREATE TABLE _prisma_migrations (\n"
    "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
    "    checksum                VARCHAR(64) NOT NULL,\n"
    "    finished_at             TIMESTAMPTZ,\n"
    "    migration_name          VARCHAR(255) NOT NULL,\n"
    "    logs                    TEXT,\n"
    "    rolled_back_at          TIMESTAMPTZ,\n"
    "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
    "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
    ");\n";

// Timestamps travel as microseconds since the epoch, both ways, so nothing
// depends on the session's TimeZone or DateStyle.
std::string to_parameter(Timestamp when) { return std::to_string(when.time_since_epoch().count()); }
// Integer arithmetic only: a double would round microseconds away.
constexpr const char* kFromMicros = "(timestamptz 'epoch' + $%d::bigint * interval '1 microsecond')";
// Exact on every server version (EXTRACT returned a double before 14).
std::string micros_of(const char* column) {
  std::string c = column;
  return "(extract(epoch FROM date_trunc('second', " + c +
         "))::bigint * 1000000 + extract(microseconds FROM " + c + ")::bigint % 1000000)";
}

std::optional<Timestamp> from_column(const pg::Result& result, int row, int column) {
  if (result.is_null(row, column)) return std::nullopt;
  return Timestamp(std::chrono::microseconds(std::stoll(std::string(result.get(row, column)))));
}

std::string format_time(Timestamp when, const char* date_time_separator, bool prisma) {
  auto day = std::chrono::floor<std::chrono::days>(when);
  std::chrono::year_month_day date(day);
  std::chrono::hh_mm_ss time(when - day);
  long long micros = time.subseconds().count();
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u%s%02ld:%02ld:%02lld", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), date_time_separator,
                static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  std::string out = buffer;
  if (!prisma) {
    std::snprintf(buffer, sizeof buffer, ".%06lldZ", micros);
    return out + buffer;
  }
  // chrono prints no fraction for whole seconds, else 3 digits when they
  // suffice, else 6.
  if (micros % 1000 == 0 && micros != 0) {
    std::snprintf(buffer, sizeof buffer, ".%03lld", micros / 1000);
    out += buffer;
  } else if (micros != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06lld", micros);
    out += buffer;
  }
  return out + " UTC";
}

std::string with_param(const char* format, int index) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, index);
  return buffer;
}

}  // namespace

Timestamp now() { return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()); }
std::string iso8601(Timestamp when) { return format_time(when, "T", false); }
std::string prisma_time(Timestamp when) { return format_time(when, " ", true); }

std::string random_uuid() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw Error(ErrorKind::Failure, "no random bytes (OpenSSL RAND_bytes)");
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

std::string_view history_table_ddl() { return kCreateTable; }

bool History::exists() {
  pg::Result result = connection_.exec(
      "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relname = $1 AND n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
      pg::Params{std::string(kHistoryTable)});
  return result.rows() > 0;
}

void History::create() { connection_.exec(kCreateTable); }

std::optional<std::vector<HistoryRow>> History::read() {
  if (!exists()) return std::nullopt;
  pg::Result result =
      connection_.exec("SELECT id, checksum, " + micros_of("finished_at") + ", migration_name, logs, " +
                       micros_of("rolled_back_at") + ", " + micros_of("started_at") +
                       ", applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name");
  std::vector<HistoryRow> rows;
  rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    rows.push_back({.id = std::string(result.get(row, 0)),
                    .checksum = std::string(result.get(row, 1)),
                    .finished_at = from_column(result, row, 2),
                    .migration_name = std::string(result.get(row, 3)),
                    .logs = result.get_optional(row, 4),
                    .rolled_back_at = from_column(result, row, 5),
                    .started_at = *from_column(result, row, 6),
                    .applied_steps_count = std::stoi(std::string(result.get(row, 7)))});
  }
  return rows;
}

std::string History::record_started(std::string_view name, std::string_view checksum, Timestamp when) {
  std::string id = random_uuid();
  connection_.exec(
      "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, " +
          with_param(kFromMicros, 3) + ", $4)",
      pg::Params{id, std::string(checksum), to_parameter(when), std::string(name)});
  return id;
}

void History::record_finished(std::string_view id, Timestamp when) {
  // Prisma sends two UPDATEs (steps, then finished_at); one gives the same row.
  connection_.exec(
      "UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = " +
          with_param(kFromMicros, 2) + " WHERE id = $1",
      pg::Params{std::string(id), to_parameter(when)});
}

void History::record_failed(std::string_view id, std::string_view logs) {
  connection_.exec("UPDATE _prisma_migrations SET logs = $2 WHERE id = $1",
                   pg::Params{std::string(id), std::string(logs)});
}

std::string History::record_applied(std::string_view name, std::string_view checksum, Timestamp when) {
  std::string id = random_uuid();
  connection_.exec(
      "INSERT INTO _prisma_migrations (id, checksum, logs, started_at, finished_at, migration_name) "
      "VALUES ($1, $2, '', " +
          with_param(kFromMicros, 3) + ", " + with_param(kFromMicros, 3) + ", $4)",
      pg::Params{id, std::string(checksum), to_parameter(when), std::string(name)});
  return id;
}

void History::record_rolled_back(std::string_view id, Timestamp when) {
  connection_.exec(
      "UPDATE _prisma_migrations SET rolled_back_at = " + with_param(kFromMicros, 2) + " WHERE id = $1",
      pg::Params{std::string(id), to_parameter(when)});
}

}  // namespace soulstone::migrate
