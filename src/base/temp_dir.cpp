#include "base/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "base/error.hpp"

namespace soulstone {

namespace {
std::filesystem::path default_base() {
  const char* env = std::getenv("TMPDIR");
  return (env != nullptr && *env != '\0') ? std::filesystem::path(env) : "/tmp";
}
}  // namespace

TempDir::TempDir(std::string_view prefix, const std::filesystem::path& base) {
  std::string pattern = ((base.empty() ? default_base() : base) / prefix).string() + "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw Error(ErrorKind::Failure, "cannot create a temporary folder " + pattern + ": " + errno_text(errno));
  }
  path_ = buffer.data();
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;  // a destructor must not throw; leftovers are only clutter
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace soulstone
