// traitlab measure end to end: the HDF5 file it writes, its summary, and
// bad input (exit 2, no output file).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/io/hdf5_file.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;

std::string model() { return std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok"; }

std::vector<std::string> base_args(const std::string& out, const std::string& traits = "O,E") {
  return {"measure",
          "--model",
          model(),
          "--instrument",
          "trait-builtin",
          "--traits",
          traits,
          "--items-per-trait",
          "3",
          "--templates",
          "1,2",
          "--bootstrap",
          "100",
          "--out",
          out};
}

TEST(CliMeasure, WritesACompleteResultsFile) {
  TempDir tmp("cli_measure");
  const std::string out = tmp.sub("run.h5");
  auto args = base_args(out);
  args.insert(args.end(), {"--instrument", "ipip50", "--chat", "off", "--seed", "5"});
  auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Openness"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reliability"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  H5File f = H5File::open(out);
  EXPECT_EQ(f.attr_string("status"), "complete");
  EXPECT_EQ(f.attr_int64("seed"), 5);
  EXPECT_NE(f.attr_string("command_line").find("--items-per-trait"), std::string::npos);
  EXPECT_NE(f.attr_string("weights_sha256").find("model.safetensors"), std::string::npos);
  EXPECT_NE(f.attr_string("banks_sha256").find("openness.jsonl"), std::string::npos);
  // 2 traits x 3 items x 2 templates x 2 orders.
  H5Table resp = f.open_table("responses");
  EXPECT_EQ(resp.size(), 24);
  const auto codes = resp.read_column_string("order_code");
  for (const auto& c : codes) EXPECT_TRUE(c == "H1,L1,H2,L2" || c == "L1,H1,L2,H2") << c;
  const auto p1 = resp.read_column_double("p_h1"), p2 = resp.read_column_double("p_h2"),
             p3 = resp.read_column_double("p_l1"), p4 = resp.read_column_double("p_l2");
  for (size_t i = 0; i < p1.size(); ++i) EXPECT_NEAR(p1[i] + p2[i] + p3[i] + p4[i], 1.0, 1e-9);
  // ipip50: 10 items per Big Five trait, O and E kept -> first 3 each, 2 templates.
  H5Table lik = f.open_table("likert_responses");
  EXPECT_EQ(lik.size(), 2 * 3 * 2);
  H5Table scores = f.open_table("scores");
  EXPECT_EQ(scores.size(), 4);  // 2 instruments x 2 traits
  H5Table rel = f.open_table("reliability");
  EXPECT_EQ(rel.size(), 4);
  H5Table val = f.open_table("validity");
  EXPECT_EQ(val.size(), 2);
  EXPECT_EQ(f.open_table("conditions").size(), 1);
}

TEST(CliMeasure, LoglikAndGenerateModes) {
  TempDir tmp("cli_measure_modes");
  auto args = base_args(tmp.sub("loglik.h5"));
  args.insert(args.end(),
              {"--scoring", "loglik", "--loglik-norm", "none", "--option-packing", "separate"});
  auto r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(H5File::open(tmp.sub("loglik.h5")).open_table("responses").size(), 2 * 3 * 2);
  EXPECT_NE(H5File::open(tmp.sub("loglik.h5"))
                .attr_string("config")
                .find("\"option_packing\":\"separate\""),
            std::string::npos);

  args = base_args(tmp.sub("gen.h5"));
  args.insert(args.end(), {"--scoring", "generate", "--samples", "2", "--max-new-tokens", "4",
                           "--chat", "on", "--persona", "You are shy."});
  r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  H5File f = H5File::open(tmp.sub("gen.h5"));
  EXPECT_EQ(f.open_table("generations").size(), 2 * f.open_table("responses").size());
}

TEST(CliMeasure, BadInputExitsTwoWithoutOutput) {
  TempDir tmp("cli_measure_bad");
  const std::string out = tmp.sub("bad.h5");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--scoring", "vibes"}, "--scoring"},
      {{}, "unknown trait"},  // --traits O,Sociability
      {{"--templates", "9"}, "--templates"},
      {{"--orders", "random:99"}, "random"},
      {{"--paraphrase", "sometimes"}, "--paraphrase"},
      {{"--instrument", "no-such-bank"}, "no-such-bank"},
      {{"--instrument", std::string(TRAITLAB_TEST_DATA) + "/instruments/bad_duplicate.jsonl"},
       "bad_duplicate.jsonl"},
      {{"--instrument", std::string(TRAITLAB_TEST_DATA) + "/instruments/empty.jsonl"},
       "empty.jsonl"},
      {{"--instrument", "ipip50", "--scoring", "likert"}, "scenario"},
      {{"--batch-size", "0"}, "--batch-size"},
      {{"--option-packing", "fast"}, "--option-packing"},
  };
  for (const auto& [extra, needle] : cases) {
    auto args = base_args(out, extra.empty() ? "O,Sociability" : "O,E");
    args.insert(args.end(), extra.begin(), extra.end());
    const std::string what = extra.empty() ? "--traits" : extra[0];
    auto r = run_cli(args);
    EXPECT_EQ(r.code, 2) << what << ": " << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << what;
    EXPECT_FALSE(std::filesystem::exists(out + ".partial")) << what;
  }
  auto r = run_cli({"measure", "--model", model(), "--instrument", "trait-builtin"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

TEST(CliMeasure, RefusesToOverwriteWithoutFlag) {
  TempDir tmp("cli_measure_ow");
  const std::string out = tmp.sub("x.h5");
  { std::ofstream(out) << "keep"; }
  auto args = base_args(out);
  auto r = run_cli(args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
  std::ifstream in(out);
  std::string s;
  in >> s;
  EXPECT_EQ(s, "keep");
}

}  // namespace
}  // namespace traitlab
