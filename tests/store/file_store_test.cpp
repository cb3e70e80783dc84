#include "store/file_store.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "base/error.hpp"
#include "base/temp_dir.hpp"

namespace soulstone::store {
namespace {

class FileStoreTest : public ::testing::Test {
 protected:
  TempDir dir_{"soulstone-test-store-"};
  std::unique_ptr<ObjectStore> store_ = open_store("file://" + (dir_.path() / "backups").string());
};

TEST_F(FileStoreTest, RoundTripsAnObjectInPieces) {
  auto writer = store_->put("nightly/a.dump.zst");
  std::string payload;
  for (int i = 0; i < 5000; ++i)
    payload += "row " + std::to_string(i) + "\n";
  for (std::size_t at = 0; at < payload.size(); at += 1000)
    writer->write(std::string_view(payload).substr(at, 1000));
  ObjectInfo info = writer->commit();
  EXPECT_EQ(info.size, payload.size());
  EXPECT_EQ(get_string(*store_, "nightly/a.dump.zst"), payload);
  struct stat mode {};
  ASSERT_EQ(::stat((dir_.path() / "backups/nightly/a.dump.zst").c_str(), &mode), 0);
  EXPECT_EQ(mode.st_mode & 0777, 0600u);
}

TEST_F(FileStoreTest, AnUncommittedWriterLeavesNothing) {
  {
    auto writer = store_->put("nightly/b.dump.zst");
    writer->write("half an archive");
    EXPECT_TRUE(store_->list("").empty());  // not visible while being written
  }
  EXPECT_TRUE(store_->list("").empty());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path() / "backups/nightly"), {}), 0);
}

TEST_F(FileStoreTest, ListsEverythingUnderAPrefixInKeyOrder) {
  put_string(*store_, "nightly/b.manifest.json", "{}");
  put_string(*store_, "nightly/a.dump.zst", "x");
  put_string(*store_, "other/c", "yy");
  auto listed = store_->list("nightly/");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, "nightly/a.dump.zst");
  EXPECT_EQ(listed[1].key, "nightly/b.manifest.json");
  EXPECT_EQ(listed[1].size, 2u);
  EXPECT_EQ(store_->list("").size(), 3u);
}

TEST_F(FileStoreTest, HeadAndRemove) {
  EXPECT_EQ(store_->head("missing"), std::nullopt);
  put_string(*store_, "k", "value");
  EXPECT_EQ(store_->head("k")->size, 5u);
  store_->remove("k");
  EXPECT_EQ(store_->head("k"), std::nullopt);
  store_->remove("k");  // removing what is gone is not an error
}

TEST_F(FileStoreTest, KeysCannotLeaveTheStore) {
  try {
    (void)store_->put("../escape");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    EXPECT_EQ(std::string(error.what()), "object key '../escape' leaves the store " + store_->describe());
  }
}

TEST_F(FileStoreTest, AMissingObjectIsAStorageError) {
  try {
    (void)get_string(*store_, "nope");
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::Storage);
    EXPECT_EQ(std::string(error.what()),
              "cannot open " + (dir_.path() / "backups/nope").string() + ": No such file or directory");
  }
}

TEST(FileStoreFullDisk, AFullDiskIsOneErrorAndLeavesNoPartialObject) {
  TempDir dir("soulstone-test-full-");
  if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a 1 MiB tmpfs here (needs root and mount rights)";
  auto store = open_store(dir.path().string());
  put_string(*store, "keep/previous.dump.zst", "the previous good backup");
  std::string error_text;
  {
    auto writer = store->put("keep/new.dump.zst");
    try {
      std::string block(64 * 1024, 'x');
      for (int i = 0; i < 64; ++i)
        writer->write(block);  // 4 MiB into 1 MiB
      (void)writer->commit();
    } catch (const Error& error) {
      error_text = error.what();
      EXPECT_EQ(error.hint(), "the disk is full: free space, then run again; nothing partial was left");
    }
  }
  EXPECT_NE(error_text.find("No space left on device"), std::string::npos) << error_text;
  auto listed = store->list("");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, "keep/previous.dump.zst");
  EXPECT_EQ(get_string(*store, "keep/previous.dump.zst"), "the previous good backup");
  ::umount(dir.path().c_str());
}

TEST(OpenStore, RefusesUnknownSchemes) {
  EXPECT_THROW((void)open_store("ftp://host/x"), Error);
  EXPECT_THROW((void)open_store(""), Error);
}

}  // namespace
}  // namespace soulstone::store
