#include "base/temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

namespace soulstone {

TEST(TempDir, IsPrivateAndRemovedWithItsContents) {
  std::filesystem::path kept;
  {
    TempDir dir("soulstone-unit-");
    kept = dir.path();
    struct stat info {};
    ASSERT_EQ(::stat(kept.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0700u);
    std::filesystem::create_directories(kept / "a" / "b");
    std::ofstream(kept / "a" / "b" / "file") << "data";
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(TempDir, MovedFromOwnerRemovesNothing) {
  TempDir first("soulstone-unit-");
  std::filesystem::path path = first.path();
  {
    TempDir second(std::move(first));
    EXPECT_EQ(second.path(), path);
    EXPECT_TRUE(first.path().empty());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace soulstone
