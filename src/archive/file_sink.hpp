#pragma once
// A local file written atomically: bytes go to a private temporary file
// (mode 0600) beside the target, which replaces the target only at finish(),
// after fsync. An unfinished sink removes its temporary file, so a failed
// run never leaves half a file under the target's name.

#include <filesystem>
#include <memory>

#include "archive/sink.hpp"

namespace soulstone::archive {

class AtomicFileSink final : public ByteSink {
 public:
  // Throws Error(Failure) when the folder cannot take the temporary file.
  explicit AtomicFileSink(std::filesystem::path target);
  ~AtomicFileSink() override;
  AtomicFileSink(const AtomicFileSink&) = delete;
  AtomicFileSink& operator=(const AtomicFileSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads a file in fixed-size pieces into a sink, then finishes it.
void stream_file(const std::filesystem::path& source, ByteSink& sink);

}  // namespace soulstone::archive
