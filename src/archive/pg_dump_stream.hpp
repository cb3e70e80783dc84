#pragma once
// pg_dump as the head of the pipeline: a custom-format archive of one
// database, taken in a snapshot that our own connection exports (so the
// migration history read beside it is of the same moment), streamed into a
// sink. Row counts and fingerprints come from the stream itself
// (DumpWalker), not from a second scan of the database.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "archive/fingerprint.hpp"
#include "archive/sink.hpp"
#include "pg/url.hpp"

namespace soulstone::archive {

struct DumpOptions {
  // Called with the bytes streamed so far, after every read from pg_dump.
  std::function<void(std::uint64_t)> progress;
};

struct AppliedMigration {
  std::string name;
  std::string checksum;     // _prisma_migrations.checksum
  std::string finished_at;  // as the database printed it; empty when unfinished
};

struct DumpResult {
  // Rows of _prisma_migrations in the dump's snapshot (empty without the table).
  std::vector<AppliedMigration> migrations;
  int server_version = 0;       // e.g. 150018
  std::string pg_dump_version;  // "pg_dump (PostgreSQL) 15.18 ..."
};

// Throws Error(ExternalTool) with pg_dump's redacted stderr when it fails or
// is killed; errors of the sink propagate after pg_dump has been stopped.
DumpResult dump_database(const pg::ConnInfo& database, ByteSink& sink, const DumpOptions& options = {});

// Row counts and fingerprints of a live database's tables, read through COPY
// with pg_dump's session settings, so they equal those of a dump of the same
// contents (for the drill and tests). Ordered by schema, then name. With
// several sessions, tables are read in parallel on one exported snapshot,
// largest first.
[[nodiscard]] std::vector<TableStats> table_stats(const pg::ConnInfo& database, int sessions = 1);

// The environment pg_dump and our COPY sessions share, so timestamps print
// alike: PGTZ=UTC.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> dump_session_env();

}  // namespace soulstone::archive
