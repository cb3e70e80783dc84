#include "pg/tools.hpp"

#include <gtest/gtest.h>

namespace soulstone::pg {

TEST(ClientTool, KeepsThePasswordOutOfTheArguments) {
  Command command = client_tool("pg_dump", ConnInfo::parse("postgresql://shop:hunter2@db:5432/soulstone"),
                                {"--format=custom"});
  EXPECT_EQ(command.argv.back(), "--dbname=postgresql://shop@db:5432/soulstone");
  EXPECT_EQ(command.argv[1], "--no-password");
  EXPECT_EQ(command.argv[2], "--format=custom");
  EXPECT_EQ(display(command).find("hunter2"), std::string::npos);
  ASSERT_EQ(command.env.size(), 1u);
  EXPECT_EQ(command.env[0], (std::pair<std::string, std::string>{"PGPASSWORD", "hunter2"}));
}

TEST(ClientTool, UsesTheServersOwnMajorVersion) {
  Command command = client_tool("pg_restore", ConnInfo::parse("host=localhost dbname=x"), {});
  EXPECT_EQ(command.argv[0], (server_bin_dir() / "pg_restore").string());
  EXPECT_TRUE(command.env.empty());
}

}  // namespace soulstone::pg
