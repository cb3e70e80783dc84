#pragma once
// Internal: rows generated on worker threads in chunks and handed to one
// consumer in order, so one connection can COPY them while the next chunks
// are being made. At most `window` chunks exist at once: memory stays
// bounded whatever the scale. The bytes do not depend on the thread count.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "seed/encode.hpp"

namespace soulstone::seed {

struct ChunkJob {
  const TablePlan* table = nullptr;
  const Encoder* encoder = nullptr;
};

class ChunkPipeline {
 public:
  struct Chunk {
    std::size_t job = 0;  // index into the jobs
    bool last = false;    // the table's last chunk
    std::uint64_t rows = 0;
    std::string data;  // encoded rows (no header or trailer)
  };

  ChunkPipeline(const Plan::Data& plan, std::vector<ChunkJob> jobs, unsigned threads);
  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;
  ~ChunkPipeline();  // stops the workers, also mid-way

  // The next chunk in order; nullopt after the last. Rethrows a worker's error.
  [[nodiscard]] std::optional<Chunk> next();

 private:
  struct Range {
    std::size_t job = 0;
    bool last = false;
    std::uint64_t first_row = 0, rows = 0;
    std::uint64_t first_parent = 0, parents = 0;  // nested tables
  };
  bool next_range(Range& range);  // REQUIRES: mutex_ held
  void work();
  void generate(const Range& range, std::string& out) const;

  const Plan::Data& plan_;
  std::vector<ChunkJob> jobs_;
  std::size_t window_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  // The range cursor.
  std::size_t job_ = 0;
  std::uint64_t cursor_row_ = 0, cursor_parent_ = 0;
  bool job_started_ = false;
  std::uint64_t issued_ = 0, consumed_ = 0;
  std::map<std::uint64_t, Chunk> done_;
  std::exception_ptr error_;
  bool stopping_ = false, exhausted_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace soulstone::seed
