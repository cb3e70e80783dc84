#pragma once
// Private to src/restore: the phases of one restore, in the order restore()
// calls them. Not for other modules.

#include <functional>
#include <optional>
#include <string>

#include "archive/manifest.hpp"
#include "archive/pipeline.hpp"
#include "restore/restore.hpp"

namespace soulstone::restore::internal {

// What the target looked like before we touched it.
struct TargetState {
  bool exists = false;
  long long tables = 0;
};

// Read-only checks of the target, in this order: it exists (or create is
// set), it is not marked production (or the override is set), it holds no
// tables (or clean is set). Throws the refusals; changes nothing.
[[nodiscard]] TargetState inspect_target(const pg::ConnInfo& target, const Options& options);

// CREATE DATABASE / DROP DATABASE ... WITH (FORCE) of the target's name,
// from the server's maintenance database. drop_database is for clean-up
// after a failure: it never throws and says whether the database is gone.
void create_database(const pg::ConnInfo& target);
[[nodiscard]] bool drop_database(const pg::ConnInfo& target) noexcept;

// What the two ways share.
struct Job {
  store::ObjectStore& store;
  const archive::Manifest& manifest;
  const pg::ConnInfo& target;
  const std::optional<archive::Key>& key;
  const Options& options;
  std::vector<std::pair<std::string, std::string>> session_settings;
  // Runs just before the first statement reaches the target (creates the
  // database when it is to be created).
  std::function<void()> before_target;
  // Set once the whole archive has been proven against the manifest.
  bool proven = false;
  // Set by the sink at the end of the pipeline when it fails, so its errors
  // are not taken for a damaged archive.
  bool destination_failed = false;
};

// The two ways (restore.hpp explains them). They fill sizes and durations.
// Errors leave the target's fate to the caller, who knows what was created.
void restore_streamed(Job& job, Result& result);
void restore_staged(Job& job, Result& result);

// Streams the stored archive into `reader` and finishes it, reporting
// progress as `phase`. A decoding failure (decryption, zstd, the walk)
// becomes the verification failure below.
void read_archive(Job& job, archive::ByteSink& reader, Phase phase);

// Throws Error(Failure) "backup <id> failed verification: <problem>" when
// the read archive differs from its manifest.
void require_match(const Job& job, const archive::ReadResult& read);
[[noreturn]] void throw_unproven(const Job& job, const std::string& problem);

}  // namespace soulstone::restore::internal
