#pragma once
// pg_restore as the end of the read pipeline: the plain custom-format stream
// is written to its stdin. finish() closes the stream and waits; a failure
// throws with pg_restore's redacted stderr.

#include <memory>
#include <string>
#include <vector>

#include "archive/sink.hpp"
#include "pg/url.hpp"

namespace soulstone::archive {

struct RestoreOptions {
  bool clean = false;    // --clean --if-exists: drop objects before recreating them
  bool no_owner = true;  // --no-owner: objects belong to the restoring user
  bool exit_on_error = true;
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

}  // namespace soulstone::archive
