#pragma once
// Local snapshots for developers: a database dumped into one local file
// through the backup pipeline (pg_dump custom format, zstd; restorable with
// `zstd -d` and stock pg_restore), and restored from it.
//
// Safety: a snapshot never holds real customer data, so a source marked
// production is refused (anonymised snapshots are the way to take one); a
// target marked production, or holding tables, is refused unless the
// operator says otherwise (--i-know-this-is-production, --clean).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>

#include "pg/url.hpp"

namespace soulstone::snapshot {

struct CreateOptions {
  std::filesystem::path file = "local.dump.zst";
  bool replace = false;  // overwrite an existing file
  std::function<void(std::uint64_t dump_bytes)> progress;
};

struct CreateResult {
  std::filesystem::path file;
  std::uint64_t size = 0;
  std::string sha256;
  std::uint64_t dump_size = 0;
  std::size_t tables = 0;
  long long rows = 0;
  std::chrono::duration<double> elapsed{};
};

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
