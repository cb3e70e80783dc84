#pragma once
// zstd compression and decompression as pipeline stages. zstd.h stays in the
// implementation file.

#include <memory>

#include "archive/sink.hpp"

namespace soulstone::archive {

// Level 2 is the lowest whose archives come out no larger than pg_dump's own
// gzip on the Soulstone rows (level 1 is 0.07 % larger there, level 3 costs
// 40 % more CPU for 2 % less); docs/benchmarks.md has the measurements.
inline constexpr int kDefaultZstdLevel = 2;

struct ZstdOptions {
  int level = kDefaultZstdLevel;  // 1 (fastest) .. 19
  int workers = 0;                // 0: single-threaded; N: N compression threads beside ours
};

class ZstdCompressSink final : public ByteSink {
 public:
  ZstdCompressSink(ByteSink& next, const ZstdOptions& options);
  ~ZstdCompressSink() override;
  ZstdCompressSink(const ZstdCompressSink&) = delete;
  ZstdCompressSink& operator=(const ZstdCompressSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Throws Error(Failure) on corrupt input, and at finish() when the stream
// ends inside a frame (a truncated archive).
class ZstdDecompressSink final : public ByteSink {
 public:
  explicit ZstdDecompressSink(ByteSink& next);
  ~ZstdDecompressSink() override;
  ZstdDecompressSink(const ZstdDecompressSink&) = delete;
  ZstdDecompressSink& operator=(const ZstdDecompressSink&) = delete;
  void write(std::string_view data) override;
  void finish() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::archive
