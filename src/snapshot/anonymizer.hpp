#pragma once
// The anonymiser: a pipeline stage that rewrites a pg_dump custom-format
// archive as it streams past, so no personal value ever reaches the disk.
//
// The header, the table of contents and the data of tables without marked
// columns pass through byte for byte. For a TABLE DATA block of a table
// with marked columns, the COPY rows are decoded, each marked column's
// value (NULL stays NULL) is replaced by its fake, and the rows are written
// out again in chunks of about 64 KiB under the same block header. Only an
// archive without data offsets can be rewritten so (a piped pg_dump writes
// none; pg_restore then reads the blocks in order); one with offsets, or
// with compressed blocks, is refused.
//
// Memory is bounded by one write plus one row plus one output chunk.

#include <cstdint>
#include <memory>

#include "archive/sink.hpp"
#include "snapshot/faker.hpp"
#include "snapshot/pii_plan.hpp"

namespace soulstone::snapshot {

struct AnonymizeStats {
  std::size_t tables = 0;  // TABLE DATA blocks rewritten
  long long rows = 0;      // rows of those blocks
  long long values = 0;    // values replaced (NULLs and empty strings are kept)
};

class AnonymizingSink final : public archive::ByteSink {
 public:
  // `plan` and `faker` must outlive the sink.
  AnonymizingSink(archive::ByteSink& next, const PiiPlan& plan, Faker& faker);
  ~AnonymizingSink() override;
  AnonymizingSink(const AnonymizingSink&) = delete;
  AnonymizingSink& operator=(const AnonymizingSink&) = delete;

  // Throws Error(Failure) for a malformed archive, Error(Input) when a fake
  // cannot fit its column.
  void write(std::string_view data) override;
  void finish() override;

  [[nodiscard]] const AnonymizeStats& stats() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace soulstone::snapshot
