#pragma once
// Shared helpers of the migrate tests: the fixture folders in data/, the
// binary run against a database, and the history described as JSON.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::migrate::testing {

inline std::filesystem::path data_dir() {
  return std::filesystem::path(SOULSTONE_SOURCE_DIR) / "tests/migrate/data";
}

// A fixture folder copied to `to`, so a test may edit it.
inline std::filesystem::path copy_fixture(const std::string& name, const std::filesystem::path& to) {
  std::filesystem::copy(data_dir() / name, to, std::filesystem::copy_options::recursive);
  return to;
}

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// soulstone ARGS with DATABASE_URL set to `url`.
inline pg::RunResult soulstone(const std::string& url, std::vector<std::string> args) {
  args.insert(args.begin(), SOULSTONE_BINARY);
  return pg::run({.argv = args, .env = {{"DATABASE_URL", url}}});
}
inline pg::RunResult soulstone(const pg::ConnInfo& database, std::vector<std::string> args) {
  return soulstone(database.url(), std::move(args));
}

// data/describe_history.sql's document for the connected database.
inline nlohmann::json describe_history(pg::Connection& connection) {
  pg::Result result = connection.exec(read_file(data_dir() / "describe_history.sql"));
  return nlohmann::json::parse(result.get(0, 0));
}

inline nlohmann::json expected(const std::string& name) {
  return nlohmann::json::parse(read_file(data_dir() / "expected" / name));
}

}  // namespace soulstone::migrate::testing
