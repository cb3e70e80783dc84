#include "migrate/apply.hpp"

#include <cstdio>
#include <utility>
#include <vector>

#include "migrate/script.hpp"

namespace soulstone::migrate {

namespace {

// tokio-postgres's rendering of a server error, which Prisma's logs carry.
std::string server_error_text(const pg::ServerError& error) {
  std::string out = error.severity + ": " + error.message;
  if (!error.detail.empty()) out += "\nDETAIL: " + error.detail;
  if (!error.hint.empty()) out += "\nHINT: " + error.hint;
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return out;
}

// Prisma's "Position:" block: up to five lines before the failing one, then
// that line, each numbered (Prisma adds terminal colours; the table gets none).
std::string position_block(std::string_view script, int line) {
  if (line <= 0) return {};
  std::vector<std::string_view> lines = lines_of(script);
  if (static_cast<std::size_t>(line) > lines.size()) return {};
  std::string out = "\n\nPosition:";
  char number[16];
  for (int at = std::max(1, line - 5); at <= line; ++at) {
    std::string_view text = lines[static_cast<std::size_t>(at - 1)];
    std::snprintf(number, sizeof number, "%3d", at);
    out += "\n" + std::string(number) + (text.empty() && at != line ? "" : " ") + std::string(text);
  }
  return out;
}

std::string prisma_logs(const LocalMigration& migration, const pg::ServerError& error, int line) {
  return "A migration failed to apply. New migrations cannot be applied before the error is recovered from. "
         "Read more about how to resolve migration issues in a production database: "
         "https://pris.ly/d/migrate-resolve\n\nMigration name: " +
         migration.name + "\n\nDatabase error code: " + (error.sqlstate.empty() ? "none" : error.sqlstate) +
         "\n\nDatabase error:\n" + server_error_text(error) + position_block(migration.script, line) + "\n";
}

std::string summary(const LocalMigration& migration, const pg::ServerError& error, int statement, int line) {
  std::string where = migration.file.string();
  if (line > 0) where += ":" + std::to_string(line);
  if (statement > 0) where += " (statement " + std::to_string(statement) + ")";
  std::string text = "migration " + migration.name + " failed (P3018): " + error.severity + " " +
                     error.sqlstate + ": " + error.message;
  if (!error.detail.empty()) text += " (DETAIL: " + error.detail + ")";
  if (!error.hint.empty()) text += " (HINT: " + error.hint + ")";
  return text + " at " + where;
}

}  // namespace

MigrationFailed::MigrationFailed(const LocalMigration& migration, pg::ServerError error, int statement,
                                 int line)
    : Error(ErrorKind::Database, summary(migration, error, statement, line)),
      name_(migration.name),
      error_(std::move(error)),
      statement_(statement),
      line_(line),
      logs_(prisma_logs(migration, error_, line)) {}

MigrationFailed::MigrationFailed(const MigrationFailed& failure, std::string hint)
    : Error(failure.kind(), failure.what(), std::move(hint)),
      name_(failure.name_),
      error_(failure.error_),
      statement_(failure.statement_),
      line_(failure.line_),
      logs_(failure.logs_) {}

void run_script(pg::Connection& connection, const LocalMigration& migration) {
  pg::ScriptOutcome outcome = connection.run_script(migration.script);
  if (!outcome.error) return;
  // The server names the character where it failed for syntax and most
  // analysis errors; otherwise the statements that completed tell which one
  // failed.
  std::vector<ScriptStatement> statements = split_statements(migration.script);
  std::size_t index = static_cast<std::size_t>(outcome.statements_completed);
  int statement = index < statements.size() ? static_cast<int>(index) + 1 : 0;
  int line = 0;
  if (outcome.error->position > 0) {
    line = line_at(migration.script, offset_of_character(migration.script, outcome.error->position));
  } else if (statement > 0) {
    line = statements[index].line;
  }
  throw MigrationFailed(migration, std::move(*outcome.error), statement, line);
}

void replay(pg::Connection& connection, std::span<const LocalMigration> migrations) {
  for (const LocalMigration& migration : migrations)
    run_script(connection, migration);
}

}  // namespace soulstone::migrate
