// Shards and merge: three shards merged equal the unsharded run; merge
// refuses what would give a wrong file.
#include <gtest/gtest.h>

#include "experiments/runner/dummy_cell.h"
#include "experiments/runner/file_ops.h"
#include "experiments/runner/merge.h"
#include "experiments/runner/runner.h"
#include "tests/experiments/runner_test_util.h"

namespace traitlab::runner {
namespace {

using testing::comparable;
using testing::dummy_config;
using testing::input_error;
using testing::RunDir;

RunOptions shard_opts(int k, int n) {
  RunOptions o;
  o.shard = ShardSpec{k, n};
  o.log = nullptr;
  return o;
}

class RunnerMerge : public ::testing::Test {
 protected:
  void SetUp() override {
    run_experiment(dummy_config(dir_ / "all.h5"), shard_opts(1, 1), dummy_cell_fn({}));
    for (int k = 1; k <= 3; ++k) {
      // Different output names and thread counts: not part of the identity.
      auto cfg = dummy_config(shard(k), {"--threads", std::to_string(k)});
      auto s = run_experiment(cfg, shard_opts(k, 3), dummy_cell_fn({}));
      EXPECT_EQ(s.cells_total, 6);
    }
  }
  std::string shard(int k) const { return dir_ / ("s" + std::to_string(k) + ".h5"); }
  RunDir dir_{"merge"};
};

TEST_F(RunnerMerge, ThreeShardsEqualTheUnshardedRun) {
  auto s1 = comparable(shard(1));
  EXPECT_EQ(s1.done_cells.size(), 6u);
  EXPECT_EQ(s1.done_cells[1].first, 3);
  // Any input order gives the same file.
  auto m = merge_results({shard(3), shard(1), shard(2)}, dir_ / "m.h5", {});
  EXPECT_TRUE(m.complete);
  EXPECT_EQ(m.cells_done, 18);
  EXPECT_TRUE(comparable(dir_ / "m.h5") == comparable(dir_ / "all.h5"));
  auto prov = load_results_file(dir_ / "m.h5").state.header.provenance;
  EXPECT_EQ(prov["merged_from"].size(), 3u);
  // The output is never clobbered without overwrite.
  auto e = input_error([&] { merge_results({shard(1)}, dir_ / "m.h5", {}); });
  EXPECT_NE(e.find("already exists"), std::string::npos) << e;
}

TEST_F(RunnerMerge, RefusesDifferentConfigsAndDuplicates) {
  run_experiment(dummy_config(dir_ / "other.h5", {"--seed", "1"}), shard_opts(2, 3),
                 dummy_cell_fn({}));
  auto e = input_error([&] { merge_results({shard(1), dir_ / "other.h5"}, dir_ / "m.h5", {}); });
  EXPECT_EQ(e, dir_ / "other.h5" + ": made by a different config than " + shard(1) +
                   ": key 'run.seed' differs (file: '42', now: '1')");
  e = input_error([&] { merge_results({shard(1), shard(2), shard(1)}, dir_ / "m.h5", {}); });
  EXPECT_NE(e.find("is in both " + shard(1) + " and " + shard(1)), std::string::npos) << e;
  e = input_error([&] { merge_results({dir_ / "all.h5", shard(2)}, dir_ / "m.h5", {}); });
  EXPECT_NE(e.find("overlapping shards"), std::string::npos) << e;
  EXPECT_FALSE(file_exists(dir_ / "m.h5"));
}

TEST_F(RunnerMerge, IncompleteOnlyWithAllowPartial) {
  // Shard 2 crashes after 2 of its 6 cells.
  const std::string broken = dir_ / "s2b.h5";
  auto inner = dummy_cell_fn({});
  int n = 0;
  EXPECT_ANY_THROW(run_experiment(dummy_config(broken, {"--output.checkpoint_seconds", "1e-9"}),
                                  shard_opts(2, 3), [&](const Cell& c, ResultSink& s) {
                                    if (n++ == 2) throw std::runtime_error("crash");
                                    inner(c, s);
                                  }));
  auto e = input_error([&] { merge_results({shard(1), broken, shard(3)}, dir_ / "m.h5", {}); });
  EXPECT_EQ(e, broken +
                   " is incomplete (status running, 2 of 6 cells done); pass "
                   "--allow-partial to merge it anyway");
  e = input_error([&] { merge_results({shard(1), shard(3)}, dir_ / "m.h5", {}); });
  EXPECT_NE(e.find("6 of 18 cells are in none of the inputs (first: cell 1 "), std::string::npos)
      << e;

  MergeOptions partial;
  partial.allow_partial = true;
  auto m = merge_results({shard(1), broken, shard(3)}, dir_ / "m.h5", partial);
  EXPECT_FALSE(m.complete);
  EXPECT_EQ(m.cells_done, 14);
  EXPECT_EQ(comparable(dir_ / "m.h5").status, "partial");
  // A partial merge is finished by resuming it as an unsharded run.
  RunOptions resume = shard_opts(1, 1);
  resume.resume = true;
  auto s = run_experiment(dummy_config(dir_ / "m.h5"), resume, dummy_cell_fn({}));
  EXPECT_EQ(s.cells_run, 4);
  EXPECT_TRUE(comparable(dir_ / "m.h5") == comparable(dir_ / "all.h5"));
}

}  // namespace
}  // namespace traitlab::runner
