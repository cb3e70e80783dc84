#pragma once
// pg_restore as the end of the read pipeline: the plain custom-format stream
// is written to its stdin. finish() closes the stream and waits; a failure
// throws with pg_restore's redacted stderr.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "archive/sink.hpp"
#include "pg/url.hpp"

namespace soulstone::archive {

struct RestoreOptions {
  bool clean = false;    // --clean --if-exists: drop objects before recreating them
  bool no_owner = true;  // --no-owner: objects belong to the restoring user
  bool exit_on_error = true;
  // --single-transaction: nothing is committed until pg_restore has read
  // the whole archive and every statement succeeded; killing it before then
  // rolls everything back. Not with jobs > 1.
  bool single_transaction = false;
  int jobs = 1;  // --jobs N: only for restore_file (pg_restore needs a seekable file)
  // Server settings for pg_restore's sessions, passed as PGOPTIONS
  // ("-c name=value ..."), e.g. maintenance_work_mem for index builds.
  std::vector<std::pair<std::string, std::string>> session_settings;
};

class RestoreSink final : public ByteSink {
 public:
  RestoreSink(const pg::ConnInfo& target, const RestoreOptions& options);
  ~RestoreSink() override;
  RestoreSink(const RestoreSink&) = delete;
  RestoreSink& operator=(const RestoreSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// pg_restore of a plain custom-format file (not zstd), with options.jobs
// parallel sessions. Throws Error(ExternalTool) with pg_restore's redacted
// stderr when it fails; the target may then be partly restored.
void restore_file(const std::string& file, const pg::ConnInfo& target, const RestoreOptions& options);

}  // namespace soulstone::archive
