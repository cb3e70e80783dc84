#pragma once
// A private temporary folder (mode 0700) removed with everything in it when
// the owner goes out of scope.

#include <filesystem>
#include <string_view>

namespace soulstone {

class TempDir {
 public:
  // Creates <base>/<prefix>XXXXXX; base defaults to $TMPDIR or /tmp.
  explicit TempDir(std::string_view prefix = "soulstone-", const std::filesystem::path& base = {});
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace soulstone
