// The embedded server's life cycle, on servers of its own (not the shared
// test cluster), each in a temporary folder.
#include "pg/embedded.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "base/temp_dir.hpp"
#include "pg/connection.hpp"

namespace soulstone::pg {
namespace {

class EmbeddedServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ::chmod(folder_.path().c_str(), 0755); }
  void TearDown() override { server_.stop(); }

  std::string select_one() {
    return std::string(Connection::open(server_.conninfo()).exec("SELECT 1").get(0, 0));
  }

  TempDir folder_{"soulstone-test-embedded-"};
  EmbeddedServer server_{{.dir = folder_.path() / "pg", .ephemeral = true}};
};

TEST_F(EmbeddedServerTest, StartsOnLoopbackAndAnswers) {
  EXPECT_FALSE(server_.status().initialized);
  ServerStatus status = server_.start();
  EXPECT_TRUE(status.initialized);
  EXPECT_TRUE(status.running);
  EXPECT_GT(status.port, 0);
  EXPECT_EQ(select_one(), "1");
  EXPECT_EQ(Connection::open(server_.conninfo()).exec("SHOW listen_addresses").get(0, 0), "127.0.0.1");
}

TEST_F(EmbeddedServerTest, StartingTwiceKeepsOneServer) {
  ServerStatus first = server_.start();
  ServerStatus second = server_.start();
  EXPECT_EQ(first.pid, second.pid);
  EXPECT_EQ(first.port, second.port);
}

TEST_F(EmbeddedServerTest, StopThenStartKeepsDataAndPort) {
  ServerStatus first = server_.start();
  Connection::open(server_.conninfo()).exec("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
  server_.stop();
  EXPECT_FALSE(server_.status().running);
  EXPECT_THROW((void)server_.conninfo(), Error);
  server_.stop();  // stopping a stopped server is a no-op
  ServerStatus again = server_.start();
  EXPECT_EQ(again.port, first.port);
  EXPECT_EQ(Connection::open(server_.conninfo()).exec("SELECT v FROM kept").get(0, 0), "42");
}

TEST_F(EmbeddedServerTest, MovesToAnotherPortWhenItsPortWasTaken) {
  server_.start();
  server_.stop();
  // While we are down, another server takes a port, and our settings name it.
  EmbeddedServer squatter({.dir = folder_.path() / "squatter", .ephemeral = true});
  int taken = squatter.start().port;
  std::ofstream(folder_.path() / "pg" / "data" / "soulstone.conf", std::ios::trunc)
      << "port = " << taken << "\n";

  ServerStatus moved = server_.start();
  EXPECT_TRUE(moved.running);
  EXPECT_NE(moved.port, taken);
  EXPECT_EQ(select_one(), "1");
  squatter.stop();
}

TEST_F(EmbeddedServerTest, RemovesAStalePidFileOfADeadProcess) {
  server_.start();
  server_.stop();
  // A crash leaves postmaster.pid behind; its pid is gone (here: a child we reaped).
  pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  std::ofstream(folder_.path() / "pg" / "data" / "postmaster.pid")
      << dead << "\n"
      << (folder_.path() / "pg" / "data").string() << "\n0\n5432\n\n\n\n";
  EXPECT_FALSE(server_.status().running);
  EXPECT_TRUE(server_.start().running);
  EXPECT_EQ(select_one(), "1");
}

TEST_F(EmbeddedServerTest, RemovesAStalePidFileWhosePidWasReusedByAnotherProgram) {
  server_.start();
  server_.stop();
  // After a reboot the recorded pid may belong to an unrelated live process.
  std::ofstream(folder_.path() / "pg" / "data" / "postmaster.pid")
      << ::getpid() << "\n"
      << (folder_.path() / "pg" / "data").string() << "\n0\n5432\n\n\n\n";
  EXPECT_FALSE(server_.status().running);
  EXPECT_TRUE(server_.start().running);
  EXPECT_EQ(select_one(), "1");
}

TEST_F(EmbeddedServerTest, RecoversAfterTheServerWasKilledHard) {
  // Durable settings here: the ephemeral ones may lose the last commits in a crash.
  server_ = EmbeddedServer({.dir = folder_.path() / "durable"});
  ServerStatus status = server_.start();
  Connection::open(server_.conninfo()).exec("CREATE TABLE survived (v int); INSERT INTO survived VALUES (7)");
  ASSERT_EQ(::kill(status.pid, SIGKILL), 0);
  // Wait until the postmaster is gone (its children follow on their own).
  for (int i = 0; i < 200 && server_.status().running; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  ASSERT_FALSE(server_.status().running);
  ServerStatus again = server_.start();
  EXPECT_TRUE(again.running);
  EXPECT_NE(again.pid, status.pid);
  EXPECT_EQ(Connection::open(server_.conninfo()).exec("SELECT v FROM survived").get(0, 0), "7");
}

}  // namespace
}  // namespace soulstone::pg
