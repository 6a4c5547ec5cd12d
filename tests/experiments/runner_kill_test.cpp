// kill -9 at random moments: a real `traitlab _dummy-run` process is killed
// 24 times, resumed each time, and the final file must equal an
// uninterrupted run. Half the kills come at a random time around start-up
// (loading, opening the journal), half right after the journal grew (in the
// middle of the next cell, or while a checkpoint of the results file is
// being written), so they land on progress however loaded the machine is.
// Delays are drawn from a fixed seed.
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
using testing::RunDir;

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

size_t journal_records(const std::string& out) {
  return file_exists(out + ".journal") ? read_journal(out + ".journal").records.size() : 0;
}

TEST(RunnerKill, KilledManyTimesThenResumedEqualsUninterrupted) {
  RunDir dir("kill");
  const std::string ref = dir / "ref.h5", out = dir / "r.h5";
  // 27 cells of 8 rows x 20 ms: long enough that 24 kills cannot finish it.
  const std::vector<std::string> grid = {"--run.replicates", "3"};
  ASSERT_EQ(wait_exit(spawn_dummy(ref, grid)), 0);

  auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_exit(spawn_dummy(dir / "probe.h5", {"--dump-config"})), 0);
  const int startup_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());

  std::mt19937 rng(20261128);
  std::uniform_int_distribution<int> early_ms(startup_ms / 2, startup_ms + 100);
  std::uniform_int_distribution<int> late_ms(0, 150);
  int kills_after_progress = 0, kills = 0;
  size_t journaled = 0;
  for (int i = 0; i < 24; ++i) {
    std::vector<std::string> args = grid;
    if (i > 0) args.push_back("--resume");
    pid_t pid = spawn_dummy(out, args);
    if (i % 2 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(early_ms(rng)));
    } else {
      // Wait (up to 60 s) for a new journal record, then a little more.
      const size_t before = journal_records(out);
      for (int w = 0; w < 12000 && journal_records(out) <= before; ++w)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      std::this_thread::sleep_for(std::chrono::milliseconds(late_ms(rng)));
    }
    kill(pid, SIGKILL);
    ASSERT_EQ(wait_exit(pid), 128 + SIGKILL) << "run " << i << " ended before its kill";
    ++kills;
    const size_t now = journal_records(out);
    kills_after_progress += now > journaled;
    journaled = now;
    // Whatever the moment, no file claims to be complete.
    if (file_exists(out)) {
      auto partial = comparable(out);
      EXPECT_NE(partial.status, "complete") << "after kill " << i;
    }
  }
  EXPECT_EQ(kills, 24);
  EXPECT_GE(kills_after_progress, 12)
      << "kills landed without progress (start-up " << startup_ms << " ms)";
  std::vector<std::string> resume = grid;
  resume.push_back("--resume");
  ASSERT_EQ(wait_exit(spawn_dummy(out, resume)), 0);
  EXPECT_FALSE(file_exists(out + ".journal"));
  EXPECT_FALSE(file_exists(out + ".lock"));
  EXPECT_TRUE(comparable(out) == comparable(ref));
}

}  // namespace
}  // namespace traitlab::runner
