#include "seed/pipeline.hpp"

#include "seed/row.hpp"

namespace soulstone::seed {

namespace {

constexpr std::uint64_t kChunkRows = 4096;

}  // namespace

ChunkPipeline::ChunkPipeline(const Plan::Data& plan, std::vector<ChunkJob> jobs, unsigned threads)
    : plan_(plan), jobs_(std::move(jobs)), window_(2 * std::max(1u, threads) + 2) {
  for (unsigned k = 0; k < std::max(1u, threads); ++k)
    workers_.emplace_back([this] { work(); });
}

ChunkPipeline::~ChunkPipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  space_.notify_all();
  ready_.notify_all();
  for (std::thread& worker : workers_)
    worker.join();
}

bool ChunkPipeline::next_range(Range& range) {
  while (job_ < jobs_.size()) {
    const TablePlan& table = *jobs_[job_].table;
    range = Range{.job = job_};
    if (!table.nesting) {
      range.first_row = cursor_row_;
      range.rows = std::min(kChunkRows, table.rows - cursor_row_);
      cursor_row_ += range.rows;
      range.last = cursor_row_ >= table.rows;
    } else {
      // Whole parents per chunk, so siblings are generated together.
      const Nesting& nesting = *table.nesting;
      range.first_row = cursor_row_;
      range.first_parent = cursor_parent_;
      while (cursor_parent_ < nesting.parents() && range.rows < kChunkRows) {
        range.rows += nesting.count(cursor_parent_++);
        ++range.parents;
      }
      cursor_row_ += range.rows;
      range.last = cursor_parent_ >= nesting.parents();
    }
    if (range.last) {
      ++job_;
      cursor_row_ = cursor_parent_ = 0;
    }
    return true;
  }
  return false;
}

void ChunkPipeline::generate(const Range& range, std::string& out) const {
  const ChunkJob& job = jobs_[range.job];
  Row row(plan_, *job.table);
  if (!job.table->nesting) {
    for (std::uint64_t k = 0; k < range.rows; ++k) {
      row.reset(range.first_row + k);
      job.encoder->row(row, out);
    }
    return;
  }
  std::uint64_t index = range.first_row;
  for (std::uint64_t p = range.first_parent; p < range.first_parent + range.parents; ++p) {
    std::uint64_t count = job.table->nesting->count(p);
    for (std::uint64_t j = 0; j < count; ++j) {
      row.reset(index++, p, j);
      job.encoder->row(row, out);
    }
  }
}

void ChunkPipeline::work() {
  while (true) {
    Range range;
    std::uint64_t sequence = 0;
    {
      std::unique_lock lock(mutex_);
      space_.wait(lock, [&] { return stopping_ || issued_ < consumed_ + window_; });
      if (stopping_ || exhausted_) return;
      if (!next_range(range)) {
        exhausted_ = true;
        ready_.notify_all();
        return;
      }
      sequence = issued_++;
    }
    Chunk chunk{.job = range.job, .last = range.last, .rows = range.rows};
    std::exception_ptr error;
    try {
      chunk.data.reserve(range.rows * 64);
      generate(range, chunk.data);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      if (error && !error_) error_ = error;
      done_.emplace(sequence, std::move(chunk));
    }
    ready_.notify_all();
    if (error) return;
  }
}

std::optional<ChunkPipeline::Chunk> ChunkPipeline::next() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock,
              [&] { return error_ || done_.count(consumed_) != 0 || (exhausted_ && consumed_ >= issued_); });
  if (error_) std::rethrow_exception(error_);
  auto it = done_.find(consumed_);
  if (it == done_.end()) return std::nullopt;
  Chunk chunk = std::move(it->second);
  done_.erase(it);
  ++consumed_;
  lock.unlock();
  space_.notify_all();
  return chunk;
}

}  // namespace soulstone::seed
