#pragma once
// Prisma Client 7 for the benchmarks' anchors, generated offline into `dir`
// from a copy of the Soulstone schema whose `prisma-client-js` generator is
// pointed at dir/client. Only that generator runs (the schema also has ours),
// and generation never starts the schema engine, so any existing file will do
// for PRISMA_SCHEMA_ENGINE_BINARY.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "base/error.hpp"
#include "pg/subprocess.hpp"

namespace soulstone::bench {

inline std::filesystem::path generate_prisma_client(const std::filesystem::path& dir,
                                                    const std::filesystem::path& schema,
                                                    const std::filesystem::path& node_modules) {
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink(node_modules, dir / "node_modules");
  std::ifstream in(schema);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::string provider = "provider = \"prisma-client-js\"";
  text.replace(text.find(provider), provider.size(),
               provider + "\n  output   = \"" + (dir / "client").string() + "\"");
  std::ofstream(dir / "schema.prisma") << text;
  pg::RunResult result =
      pg::run({.argv = {(dir / "node_modules/.bin/prisma").string(), "generate", "--generator", "client",
                        "--schema", (dir / "schema.prisma").string()},
               .env = {{"PRISMA_SCHEMA_ENGINE_BINARY", "/bin/true"}, {"PRISMA_HIDE_UPDATE_MESSAGE", "1"}},
               .cwd = dir});
  if (!result.status.ok())
    throw Error(ErrorKind::Failure, "prisma generate failed: " + result.err + result.out);
  return dir / "client";
}

}  // namespace soulstone::bench
