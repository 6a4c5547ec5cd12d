// `traitlab finetune --out-h5 --probe-every`: the trajectory file end to end,
// and the probe flags' errors (exit 2, one line naming the flag).
#include <gtest/gtest.h>

#include "../finetune/finetune_test_util.h"
#include "cli_test_util.h"
#include "core/io/hdf5_file.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

std::vector<std::string> args(const std::string& out, const std::vector<std::string>& more) {
  std::vector<std::string> a = {"finetune",
                                "--model",
                                llama_tok_dir(),
                                "--data",
                                ft_data("sft_pc.jsonl"),
                                "--method",
                                "sft",
                                "--lora-rank",
                                "4",
                                "--out",
                                out,
                                "--threads",
                                "1",
                                "--max-steps",
                                "2",
                                "--batch-size",
                                "2"};
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

TEST(CliFinetuneProbe, WritesTheThreeTables) {
  TempDir tmp("ft_probe_cli");
  const std::string h5 = tmp.sub("run.h5");
  const CliResult r = run_cli(
      args(tmp.sub("run"), {"--out-h5", h5, "--probe-every", "1", "--probe-traits", "O",
                            "--probe-items", "1", "--probe-conditions", "none,psychopathy:9",
                            "--probe-bootstrap", "10", "--entropy-every", "1"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("probe step 0  psychopathy:9  Openness"), std::string::npos) << r.err;
  H5File f = H5File::open(h5);
  EXPECT_EQ(f.attr_string("status"), "complete");
  EXPECT_EQ(f.open_table("train_steps").read_column_int64("step"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(f.open_table("trait_trajectory").read_column_int64("step"),
            (std::vector<int64_t>{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(f.open_table("attention_entropy").size(), 3 * 2);  // steps 0, 1, 2 x 2 layers
}

TEST(CliFinetuneProbe, BadProbeFlagsAreExitCode2) {
  TempDir tmp("ft_probe_cli_bad");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--probe-every", "2"}, "--probe-every"},
      {{"--out-h5", tmp.sub("a.h5"), "--probe-every", "2", "--probe-conditions", "psychopathy:12"},
       "--probe-conditions"},
      {{"--out-h5", tmp.sub("b.h5"), "--probe-every", "2", "--probe-instrument", "nope"}, "nope"},
      {{"--entropy-every", "-1"}, "--entropy-every"}};
  for (const auto& [more, needle] : cases) {
    const CliResult r = run_cli(args(tmp.sub("run"), more));
    EXPECT_EQ(r.code, 2) << needle << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace traitlab
