#pragma once
// Local snapshots for developers: a database dumped into one local file
// through the backup pipeline (pg_dump custom format, zstd; restorable with
// `zstd -d` and stock pg_restore), and restored from it.
//
// Safety: a snapshot never holds real customer data, so a source marked
// production is refused (anonymised snapshots are the way to take one); a
// target marked production, or holding tables, is refused unless the
// operator says otherwise (--i-know-this-is-production, --clean).
//
// Anonymised snapshots (CreateOptions::anonymize) replace every column
// marked `/// @pii(kind)` in the schema with a keyed fake of its kind while
// the dump streams (snapshot/anonymizer.hpp, snapshot/faker.hpp), and
// refuse to start while a personal-looking column carries no marker
// (snapshot/pii_plan.hpp). They may be taken from a production database.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "archive/fingerprint.hpp"
#include "pg/url.hpp"

namespace soulstone::snapshot {

struct AnonymizeOptions {
  std::filesystem::path schema = "apps/api/prisma/schema.prisma";
  // The HMAC key (SOULSTONE_ANONYMIZE_SALT); never written anywhere. At
  // least 16 characters: a short key would let anyone who guesses it test
  // candidate values against the fakes.
  std::string salt;
  // The columns seen by the last anonymised snapshot (docs/formats/snapshot-columns.md).
  std::filesystem::path columns_record = ".soulstone/snapshot-columns.json";
};

struct CreateOptions {
  std::filesystem::path file = "local.dump.zst";
  bool replace = false;  // overwrite an existing file
  std::function<void(std::uint64_t dump_bytes)> progress;
  std::optional<AnonymizeOptions> anonymize;
};

struct AnonymizeReport {
  std::size_t marked_columns = 0;  // @pii columns of the schema (kind other than none)
  std::size_t tables = 0;          // tables whose data was rewritten
  long long rows = 0;              // rows of those tables
  long long values = 0;            // values replaced
  std::filesystem::path columns_record;
  bool first_record = false;             // no record existed: nothing to compare with
  std::vector<std::string> new_columns;  // "public.users.nickname": added since the last record
};

struct CreateResult {
  std::filesystem::path file;
  std::uint64_t size = 0;
  std::string sha256;
  std::uint64_t dump_size = 0;
  std::size_t tables = 0;
  long long rows = 0;
  std::chrono::duration<double> elapsed{};
  // Per table, as written (after anonymisation): rows and fingerprint.
  std::vector<archive::TableStats> table_stats;
  std::optional<AnonymizeReport> anonymized;
};

// Throws Error(Refused) for a production source without anonymize, or for
// personal-looking columns without a marker (listing every one); Error(Input)
// for a missing or short salt or a bad schema. Nothing is written then.
CreateResult create(const pg::ConnInfo& source, const CreateOptions& options);

struct RestoreOptions {
  bool clean = false;                // replace what the target holds
  bool production_override = false;  // restore into a database marked production
};

struct RestoreResult {
  std::uint64_t dump_size = 0;
  std::size_t data_blocks = 0;
  std::chrono::duration<double> elapsed{};
};

RestoreResult restore(const std::filesystem::path& file, const pg::ConnInfo& target,
                      const RestoreOptions& options);

}  // namespace soulstone::snapshot
