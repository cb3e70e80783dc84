#pragma once
// The backup manifest: what a backup holds and how to prove it, written only
// after the archive object is stored and verified ("no manifest, no
// backup"). The format is specified in docs/formats/backup.md; readers
// refuse versions they do not know rather than guess.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/pg_dump_stream.hpp"

namespace soulstone::archive {

struct Manifest {
  static constexpr int kVersion = 1;

  std::string id;  // soulstone-YYYYMMDD-HHMMSS
  std::string database;
  int server_version = 0;
  std::string pg_dump_version;
  std::chrono::system_clock::time_point started_at;
  std::chrono::system_clock::time_point finished_at;

  std::string archive_key;  // object key of the archive, relative to the store
  std::uint64_t stored_size = 0;
  std::string stored_sha256;
  std::uint64_t dump_size = 0;  // the pg_dump stream before compression
  std::string dump_sha256;
  int zstd_level = 3;
  std::optional<std::string> encryption_key_id;  // set when encrypted

  std::vector<TableStats> tables;
  std::vector<AppliedMigration> migrations;

  [[nodiscard]] long long rows_total() const;
};

[[nodiscard]] std::string to_json(const Manifest& manifest);

// Throws Error(Failure) naming the first problem (not JSON, unknown version,
// a missing or mistyped field); `where` names the object for the message.
[[nodiscard]] Manifest manifest_from_json(const std::string& text, const std::string& where);

// RFC 3339 UTC with seconds ("2026-11-24T02:00:00Z") and back.
[[nodiscard]] std::string format_utc(std::chrono::system_clock::time_point at);
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& text);

}  // namespace soulstone::archive
