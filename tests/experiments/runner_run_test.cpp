// The runner end to end with the dummy cell function: resume after a crash,
// locking, no clobbering, early output checks, config checks on resume.
#include <gtest/gtest.h>

#include "experiments/runner/dummy_cell.h"
#include "experiments/runner/file_ops.h"
#include "experiments/runner/run_lock.h"
#include "experiments/runner/runner.h"
#include "tests/experiments/runner_test_util.h"

namespace traitlab::runner {
namespace {

using testing::comparable;
using testing::dummy_config;
using testing::input_error;
using testing::RunDir;

RunOptions quiet(bool resume = false, bool overwrite = false) {
  RunOptions o;
  o.resume = resume;
  o.overwrite = overwrite;
  o.log = nullptr;
  return o;
}

struct Crash {};

// The dummy function, but it throws when it reaches its `crash_at`-th cell.
CellFn crashing(int crash_at) {
  auto inner = dummy_cell_fn({});
  auto count = std::make_shared<int>(0);
  return [=](const Cell& cell, ResultSink& sink) {
    if ((*count)++ == crash_at) throw Crash{};
    inner(cell, sink);
  };
}

TEST(RunnerRun, ResumeAfterCrashEqualsUninterrupted) {
  RunDir dir("run_resume");
  const std::string ref = dir / "ref.h5";
  auto s = run_experiment(dummy_config(ref), quiet(), dummy_cell_fn({}));
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.cells_total, 18);
  EXPECT_FALSE(file_exists(ref + ".journal"));
  const auto expected = comparable(ref);
  ASSERT_EQ(expected.done_cells.size(), 18u);
  ASSERT_EQ(expected.tables.at("items").size(), 18u * 4);

  for (int crash_at : {0, 1, 7, 15}) {
    const std::string out = dir / ("crash" + std::to_string(crash_at) + ".h5");
    EXPECT_THROW(run_experiment(dummy_config(out), quiet(), crashing(crash_at)), Crash);
    EXPECT_TRUE(file_exists(out + ".journal"));
    auto partial = comparable(out);  // the last checkpoint is a valid file
    EXPECT_EQ(partial.status, "running");
    EXPECT_LE(partial.done_cells.size(), static_cast<size_t>(crash_at));
    // A second crash in the resumed run, then a clean finish.
    EXPECT_THROW(run_experiment(dummy_config(out), quiet(true), crashing(2)), Crash);
    auto r = run_experiment(dummy_config(out), quiet(true), dummy_cell_fn({}));
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.cells_resumed + r.cells_run, 18);
    EXPECT_EQ(r.cells_resumed, std::min(crash_at + 2, 18));
    EXPECT_TRUE(comparable(out) == expected) << "crash at cell " << crash_at;
    // Resuming a complete run is a no-op.
    auto again = run_experiment(dummy_config(out), quiet(true), crashing(0));
    EXPECT_EQ(again.cells_run, 0);
  }
}

TEST(RunnerRun, CheckpointsAreValidFilesMidRun) {
  RunDir dir("run_ckpt");
  const std::string out = dir / "r.h5";
  auto inner = dummy_cell_fn({});
  int checked = 0;
  run_experiment(dummy_config(out, {"--output.checkpoint_seconds", "1e-9"}), quiet(),
                 [&](const Cell& cell, ResultSink& sink) {
                   auto now = comparable(out);
                   EXPECT_EQ(now.status, "running");
                   EXPECT_EQ(static_cast<int64_t>(now.done_cells.size()), cell.index);
                   ++checked;
                   inner(cell, sink);
                 });
  EXPECT_EQ(checked, 18);
  EXPECT_EQ(comparable(out).status, "complete");
}

TEST(RunnerRun, LockKeepsASecondWriterOut) {
  RunDir dir("run_lock");
  const std::string out = dir / "r.h5";
  RunLock held(out);
  int calls = 0;
  auto e = input_error([&] {
    run_experiment(dummy_config(out), quiet(), [&](const Cell&, ResultSink&) { ++calls; });
  });
  EXPECT_NE(e.find(out + " is being written by another traitlab process"), std::string::npos) << e;
  EXPECT_EQ(calls, 0);
  EXPECT_THROW(RunLock second(out), InputError);
}

TEST(RunnerRun, NeverClobbersWithoutOverwrite) {
  RunDir dir("run_clobber");
  const std::string out = dir / "r.h5";
  run_experiment(dummy_config(out), quiet(), dummy_cell_fn({}));
  const std::string before = testing::file_bytes(out);
  auto e = input_error([&] { run_experiment(dummy_config(out), quiet(), dummy_cell_fn({})); });
  EXPECT_EQ(e, "results file '" + out +
                   "' already exists: pass --resume to continue it or --overwrite to replace it");
  EXPECT_EQ(testing::file_bytes(out), before);
  EXPECT_NE(input_error([&] {
              run_experiment(dummy_config(out), quiet(true, true), dummy_cell_fn({}));
            }).find("contradict"),
            std::string::npos);
  auto s =
      run_experiment(dummy_config(out, {"--seed", "5"}), quiet(false, true), dummy_cell_fn({}));
  EXPECT_EQ(s.cells_run, 18);
}

TEST(RunnerRun, UnwritableOutputDetectedBeforeWork) {
  RunDir dir("run_unwritable");
  int calls = 0;
  auto count = [&](const Cell&, ResultSink&) { ++calls; };
  EXPECT_THROW(run_experiment(dummy_config(dir / "no/such/dir/r.h5"), quiet(), count), InputError);
  EXPECT_THROW(run_experiment(dummy_config(dir.path()), quiet(), count), InputError);
  EXPECT_EQ(calls, 0);
}

TEST(RunnerRun, ResumeRefusesADifferentConfigShardOrInput) {
  RunDir dir("run_diff");
  const std::string out = dir / "r.h5";
  EXPECT_THROW(run_experiment(dummy_config(out), quiet(), crashing(3)), Crash);
  auto e = input_error([&] {
    run_experiment(dummy_config(out, {"--seed", "43"}), quiet(true), dummy_cell_fn({}));
  });
  EXPECT_EQ(e, out +
                   ".journal: results file was made by a different config: key 'run.seed' "
                   "differs (file: '42', now: '43')");
  RunOptions sharded = quiet(true);
  sharded.shard = ShardSpec{1, 2};
  e = input_error([&] { run_experiment(dummy_config(out), sharded, dummy_cell_fn({})); });
  EXPECT_NE(e.find("holds shard 1/1 but this run is shard 1/2"), std::string::npos) << e;
  // Non-identity keys may change on resume.
  auto s = run_experiment(dummy_config(out, {"--threads", "3"}), quiet(true), dummy_cell_fn({}));
  EXPECT_TRUE(s.complete);
}

TEST(RunnerRun, ResumeRefusesChangedInputs) {
  RunDir dir("run_inputs");
  std::filesystem::create_directories(dir / "model");
  { std::ofstream(dir / "model/config.json") << "{\"a\": 1}"; }
  const std::string out = dir / "r.h5";
  auto cfg = [&] { return dummy_config(out, {"--model.path", dir / "model"}); };
  EXPECT_THROW(run_experiment(cfg(), quiet(), crashing(2)), Crash);
  auto prov = load_results_file(out).state.header.provenance;
  EXPECT_EQ(prov["inputs_sha256"].size(), 1u);
  EXPECT_EQ(prov["inputs_sha256"][dir / "model/config.json"].get<std::string>().size(), 64u);
  for (const char* key : {"traitlab_version", "git_commit", "torch_version", "hostname",
                          "started_utc", "device", "threads"})
    EXPECT_TRUE(prov.contains(key)) << key;
  { std::ofstream(dir / "model/config.json") << "{\"a\": 2}"; }
  auto e = input_error([&] { run_experiment(cfg(), quiet(true), dummy_cell_fn({})); });
  EXPECT_NE(e.find("changed since the run started"), std::string::npos) << e;
}

TEST(RunnerRun, ResumeWithoutJournalContinuesFromTheFile) {
  RunDir dir("run_nojournal");
  const std::string ref = dir / "ref.h5", out = dir / "r.h5";
  run_experiment(dummy_config(ref), quiet(), dummy_cell_fn({}));
  EXPECT_THROW(run_experiment(dummy_config(out, {"--output.checkpoint_seconds", "1e-9"}), quiet(),
                              crashing(5)),
               Crash);
  remove_file_if_exists(out + ".journal");
  auto s = run_experiment(dummy_config(out), quiet(true), dummy_cell_fn({}));
  EXPECT_EQ(s.cells_resumed, 5);
  EXPECT_TRUE(comparable(out) == comparable(ref));
}

}  // namespace
}  // namespace traitlab::runner
