#pragma once
// pg_dump as the head of the pipeline: a custom-format archive of one
// database, taken in a snapshot that our own connection exports, streamed
// into a sink. In the same snapshot every table's row count and an
// order-independent content fingerprint are recorded, so a restore can be
// proven to hold exactly what was dumped.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "archive/sink.hpp"
#include "pg/url.hpp"

namespace soulstone::archive {

struct TableStats {
  std::string schema;
  std::string name;
  long long rows = 0;
  // sum over rows of hashtextextended(row::text, 0), as an exact decimal:
  // independent of row order, changed by any changed value.
  std::string fingerprint;
};

struct DumpOptions {
  // Called with the bytes streamed so far, after every read from pg_dump.
  std::function<void(std::uint64_t)> progress;
};

struct DumpResult {
  std::vector<TableStats> tables;  // ordered by schema, name
  int server_version = 0;          // e.g. 150018
  std::string pg_dump_version;     // "pg_dump (PostgreSQL) 15.18 ..."
};

// Throws Error(ExternalTool) with pg_dump's redacted stderr when it fails or
// is killed; errors of the sink propagate after pg_dump has been stopped.
DumpResult dump_database(const pg::ConnInfo& database, ByteSink& sink, const DumpOptions& options = {});

// The statistics of a live database, outside any dump (for the drill).
[[nodiscard]] std::vector<TableStats> table_stats(const pg::ConnInfo& database);

}  // namespace soulstone::archive
