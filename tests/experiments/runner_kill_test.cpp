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
#include "experiments/runner/journal.h"
#include "tests/experiments/runner_test_util.h"

extern char** environ;

namespace traitlab::runner {
namespace {

using testing::comparable;
using testing::TempDir;

pid_t spawn_dummy(const std::string& out, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {TRAITLAB_BINARY, "_dummy-run", "--items", "8",
                                   "--sleep-ms",    "20"};
  for (const auto& a : testing::dummy_args(out)) args.push_back(a);
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
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

  // Start-up (loading LibTorch) takes a while; measure it so that kills
  // land around and after it, not all before the first cell.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_exit(spawn_dummy(dir / "probe.h5", {"--dump-config"})), 0);
  const int startup_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());

  // The run sleeps 18 cells x 8 rows x 25 ms = 3.6 s. Each kill comes at
  // most 250 ms after start-up, so ten kills cannot let it finish: every
  // kill lands on a live process (start-up, inside a cell, writing the
  // journal or a checkpoint).
  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> delay_ms(startup_ms * 3 / 4, startup_ms + 250);
  int kills_after_progress = 0;
  size_t journaled = 0;
  for (int i = 0; i < 10; ++i) {
    pid_t pid = spawn_dummy(
        out, i == 0 ? std::vector<std::string>{} : std::vector<std::string>{"--resume"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    ASSERT_EQ(wait_exit(pid), 128 + SIGKILL) << "run " << i << " ended before its kill";
    if (file_exists(out + ".journal")) {
      size_t now = read_journal(out + ".journal").records.size();
      kills_after_progress += now > journaled;
      journaled = now;
    }
  }
  EXPECT_GE(kills_after_progress, 3)
      << "too few kills landed after cells were done (start-up " << startup_ms << " ms)";
  ASSERT_EQ(wait_exit(spawn_dummy(out, {"--resume"})), 0);
  EXPECT_FALSE(file_exists(out + ".journal"));
  EXPECT_FALSE(file_exists(out + ".lock"));
  EXPECT_TRUE(comparable(out) == comparable(ref));
}

}  // namespace
}  // namespace traitlab::runner
