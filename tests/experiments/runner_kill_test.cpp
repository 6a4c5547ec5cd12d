// kill -9 at random moments: a real `traitlab _dummy-run` process is killed
// ten times, resumed each time, and the final file must equal an
// uninterrupted run. The kill times are drawn from a fixed seed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <thread>

#include "experiments/runner/file_ops.h"
#include "tests/experiments/runner_test_util.h"

extern char** environ;

namespace traitlab::runner {
namespace {

using testing::comparable;
using testing::TempDir;

pid_t spawn_dummy(const std::string& out, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {TRAITLAB_BINARY, "_dummy-run", "--sleep-ms", "15"};
  for (const auto& a : testing::dummy_args(out)) args.push_back(a);
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  EXPECT_EQ(rc, 0) << "cannot start " << argv[0];
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(RunnerKill, KilledTenTimesThenResumedEqualsUninterrupted) {
  TempDir dir("kill");
  const std::string ref = dir / "ref.h5", out = dir / "r.h5";
  ASSERT_EQ(wait_exit(spawn_dummy(ref, {})), 0);

  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> delay_ms(100, 1500);
  int killed_mid_run = 0;
  for (int i = 0; i < 10; ++i) {
    pid_t pid = spawn_dummy(
        out, i == 0 ? std::vector<std::string>{} : std::vector<std::string>{"--resume"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int code = wait_exit(pid);
    if (code == 128 + SIGKILL)
      ++killed_mid_run;
    else
      ASSERT_EQ(code, 0) << "kill " << i;  // finished before the kill landed
    if (code == 0) break;
  }
  EXPECT_GE(killed_mid_run, 3) << "kills should land while the run works";
  ASSERT_EQ(wait_exit(spawn_dummy(out, {"--resume"})), 0);
  EXPECT_FALSE(file_exists(out + ".journal"));
  EXPECT_FALSE(file_exists(out + ".lock"));
  EXPECT_TRUE(comparable(out) == comparable(ref));
}

}  // namespace
}  // namespace traitlab::runner
