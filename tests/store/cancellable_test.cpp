// The store a job sees: once a stop is requested, writes and long reads throw
// Stopped, an upload in progress is never committed, and the small reads,
// listings and deletes of a job's clean-up still run.
#include "store/cancellable.hpp"

#include <gtest/gtest.h>

#include "base/temp_dir.hpp"
#include "store/file_store.hpp"

namespace soulstone::store {
namespace {

TEST(Cancellable, PassesEverythingThroughUntilAStop) {
  TempDir dir("soulstone-cancel");
  std::stop_source stop;
  auto store = cancellable(open_file_store(dir.path()), stop.get_token());
  put_string(*store, "a/one", "1");
  EXPECT_EQ(get_string(*store, "a/one"), "1");
  EXPECT_EQ(store->list("a/").size(), 1U);
  EXPECT_TRUE(store->head("a/one"));
  EXPECT_EQ(store->describe(), open_file_store(dir.path())->describe());
}

TEST(Cancellable, AStopAbortsTheNextStepAndLeavesNothingHalfWritten) {
  TempDir dir("soulstone-cancel");
  std::stop_source stop;
  auto plain = open_file_store(dir.path());
  auto store = cancellable(open_file_store(dir.path()), stop.get_token());
  put_string(*plain, "kept", "old");

  auto writer = store->put("archive");
  writer->write("first piece");
  stop.request_stop();
  EXPECT_THROW(writer->write("second piece"), Stopped);
  EXPECT_THROW((void)writer->commit(), Stopped);
  writer.reset();  // uncommitted: nothing visible
  EXPECT_FALSE(plain->head("archive"));

  EXPECT_THROW(put_string(*store, "other", "x"), Stopped);
  EXPECT_FALSE(plain->head("other"));
  // What backup::StoreLock does as it unwinds: read its lease back, delete it.
  EXPECT_EQ(get_string(*store, "kept"), "old");
  EXPECT_EQ(store->list("").size(), 1U);
  EXPECT_TRUE(store->head("kept"));
  store->remove("kept");
  EXPECT_FALSE(plain->head("kept"));
  EXPECT_EQ(plain->list("").size(), 0U);
}

TEST(Cancellable, AStopDuringAReadAbortsBetweenPieces) {
  TempDir dir("soulstone-cancel");
  auto plain = open_file_store(dir.path());
  put_string(*plain, "big", std::string(4 << 20, 'x'));
  std::stop_source stop;
  auto store = cancellable(open_file_store(dir.path()), stop.get_token());
  std::size_t pieces = 0;
  EXPECT_THROW(store->get("big",
                          [&](std::string_view) {
                            ++pieces;
                            stop.request_stop();
                          }),
               Stopped);
  EXPECT_EQ(pieces, 1U);  // the second piece never arrives
}

}  // namespace
}  // namespace soulstone::store
