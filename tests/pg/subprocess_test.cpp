#include "pg/subprocess.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "base/error.hpp"
#include "base/temp_dir.hpp"

namespace soulstone::pg {

TEST(Run, ReportsTheExitCodeAndBothStreams) {
  auto result = run({.argv = {"perl", "-e", "print 'out'; print STDERR 'err'; exit 3"}});
  EXPECT_EQ(result.status.code, 3);
  EXPECT_FALSE(result.status.ok());
  EXPECT_EQ(result.out, "out");
  EXPECT_EQ(result.err, "err");
  EXPECT_EQ(result.status.describe(), "exit code 3");
}

TEST(Run, ReportsTheSignalThatKilledTheChild) {
  auto result = run({.argv = {"perl", "-e", "kill 'KILL', $$"}});
  EXPECT_EQ(result.status.signal, SIGKILL);
  EXPECT_EQ(result.status.describe(), "killed by signal 9 (Killed)");
}

TEST(Run, MovesLargeOutputsOnBothPipesWithoutDeadlock) {
  // 24 MiB on each pipe, written alternately: a runner that drained one pipe
  // at a time would block forever once the other pipe's buffer filled.
  auto result = run(
      {.argv = {"perl", "-e", "$|=1; for (1..384) { print STDOUT 'o' x 65536; print STDERR 'e' x 65536 }"}});
  ASSERT_TRUE(result.status.ok()) << result.status.describe();
  EXPECT_EQ(result.out.size(), 384u * 65536u);
  EXPECT_EQ(result.err.size(), 384u * 65536u);
  EXPECT_EQ(result.out.find_first_not_of('o'), std::string::npos);
}

TEST(Run, FeedsLargeInputWhileReadingOutput) {
  std::string input(32 * 1024 * 1024, 'x');
  input[12345] = 'y';
  auto result = run({.argv = {"cat"}}, {.input = input});
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(result.out, input);
}

TEST(Run, SurvivesAChildThatStopsReadingItsInput) {
  std::string input(8 * 1024 * 1024, 'x');
  auto result = run({.argv = {"head", "-c", "10"}}, {.input = input});
  EXPECT_TRUE(result.status.ok());
  EXPECT_EQ(result.out, "xxxxxxxxxx");
}

TEST(Run, MissingBinaryIsOneClearError) {
  try {
    (void)run({.argv = {"soulstone-no-such-tool"}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::ExternalTool);
    EXPECT_STREQ(error.what(), "cannot run soulstone-no-such-tool: not found on PATH");
  }
}

TEST(Run, KillsAChildThatOutlivesItsTimeout) {
  auto started = std::chrono::steady_clock::now();
  try {
    (void)run({.argv = {"sleep", "30"}}, {.timeout = std::chrono::milliseconds(200)});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "sleep did not finish within 200 ms and was killed");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(Run, PassesEnvironmentAndWorkingFolderWithoutAShell) {
  TempDir dir("soulstone-unit-");
  auto result = run({.argv = {"perl", "-e", "use Cwd; print getcwd(), '|', $ENV{SOULSTONE_X}, '|', $ARGV[0]",
                              "$HOME; rm -rf /"},
                     .env = {{"SOULSTONE_X", "value with spaces"}},
                     .cwd = dir.path()});
  ASSERT_TRUE(result.status.ok());
  // The argument arrives verbatim: no shell ever saw it.
  EXPECT_EQ(result.out, dir.path().string() + "|value with spaces|$HOME; rm -rf /");
}

TEST(Spawn, ChildrenGetTheDefaultSigpipeBack) {
  // We ignore SIGPIPE ourselves; a child writing into a closed pipe must still die of it.
  Child child = spawn({.argv = {"yes"}}, {.out = Stdio::Pipe, .err = Stdio::Null});
  child.stdout_pipe().reset();
  EXPECT_EQ(child.wait().signal, SIGPIPE);
}

TEST(Spawn, DestroyingARunningChildKillsAndReapsIt) {
  pid_t pid = 0;
  {
    Child child = spawn({.argv = {"sleep", "30"}}, {.out = Stdio::Null, .err = Stdio::Null});
    pid = child.pid();
  }
  EXPECT_NE(::kill(pid, 0), 0);  // gone, and no zombie left behind
}

TEST(Display, QuotesArgumentsThatNeedIt) {
  EXPECT_EQ(display({.argv = {"pg_dump", "--format=custom", "my db", ""}}),
            "pg_dump --format=custom 'my db' ''");
}

}  // namespace soulstone::pg
