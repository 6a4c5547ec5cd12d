// traitlab elicit end to end on the tiny llama_tok checkpoint: the tables
// it writes for persona, steering and interviews, and bad input (exit 2, no
// output file).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/io/hdf5_file.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;

std::string model() { return std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok"; }

std::vector<std::string> args(const std::string& technique, const std::string& out,
                              std::vector<std::string> extra = {},
                              const std::string& traits = "O") {
  std::vector<std::string> a = {"elicit",  "--model",
                                model(),   "--technique",
                                technique, "--traits",
                                traits,    "--items-per-trait",
                                "2",       "--bootstrap",
                                "50",      "--quiet",
                                "--out",   out};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(CliElicit, PersonaLevelsWriteShiftsAndShaping) {
  TempDir tmp("cli_elicit_persona");
  const std::string out = tmp.sub("run.h5");
  auto r = run_cli(args("persona", out, {"--levels", "1,5,9", "--seed", "2"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("shaping"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  H5File f = H5File::open(out);
  EXPECT_EQ(f.attr_string("status"), "complete");
  EXPECT_EQ(f.attr_string("command"), "elicit");
  H5Table cond = f.open_table("elicit/conditions");
  ASSERT_EQ(cond.size(), 4);  // baseline + 3 levels
  const auto persona = cond.read_column_string("persona");
  EXPECT_EQ(persona[0], "");
  EXPECT_NE(persona[3].find("extremely imaginative"), std::string::npos) << persona[3];
  // likert-builtin covers all 8 traits: 3 conditions x 8 traits.
  H5Table shifts = f.open_table("elicit/shifts");
  ASSERT_EQ(shifts.size(), 24);
  const auto on = shifts.read_column_bool("on_target");
  const auto score = shifts.read_column_double("score"),
             base = shifts.read_column_double("baseline"),
             delta = shifts.read_column_double("delta");
  int n_on = 0;
  for (size_t i = 0; i < on.size(); ++i) {
    n_on += on[i] ? 1 : 0;
    EXPECT_NEAR(delta[i], score[i] - base[i], 1e-12);
  }
  EXPECT_EQ(n_on, 3);
  H5Table shaping = f.open_table("elicit/shaping");
  ASSERT_EQ(shaping.size(), 1);
  EXPECT_EQ(shaping.read_column_int64("n_points")[0], 3);
  const double rho = shaping.read_column_double("spearman_rho")[0];
  EXPECT_TRUE(std::isnan(rho) || (rho >= -1.0 && rho <= 1.0));
  EXPECT_GT(f.open_table("likert_responses").size(), 0);
}

TEST(CliElicit, SteeringSweepStoresItsVector) {
  TempDir tmp("cli_elicit_steer");
  const std::string out = tmp.sub("run.h5");
  auto r = run_cli(args(
      "steer", out,
      {"--alphas", "-4,0,4", "--vector-questions", "2", "--vector-tokens", "4", "--layer", "1"}));
  ASSERT_EQ(r.code, 0) << r.err;
  H5File f = H5File::open(out);
  EXPECT_TRUE(f.has("vectors/openness/layer_1"));
  H5Table cond = f.open_table("elicit/conditions");
  EXPECT_EQ(cond.read_column_double("alpha")[1], -4.0);
  EXPECT_FALSE(std::filesystem::exists(out + ".vectors.partial"));
  // alpha 0 reproduces the baseline exactly.
  H5Table shifts = f.open_table("elicit/shifts");
  const auto cnd = shifts.read_column_int64("condition");
  const auto delta = shifts.read_column_double("delta");
  for (size_t i = 0; i < cnd.size(); ++i) {
    if (cnd[i] == 2) {
      EXPECT_EQ(delta[i], 0.0) << i;
    }
  }
}

TEST(CliElicit, InterviewStoresEveryTextWithScores) {
  TempDir tmp("cli_elicit_interview");
  const std::string out = tmp.sub("run.h5");
  auto r = run_cli(
      args("interview", out,
           {"--levels", "1,9", "--questions", "2", "--samples", "1", "--max-new-tokens", "6"}));
  ASSERT_EQ(r.code, 0) << r.err;
  H5File f = H5File::open(out);
  H5Table iv = f.open_table("elicit/interview");
  ASSERT_EQ(iv.size(), 6);  // 3 conditions x 2 questions x 1 sample
  for (double v : iv.read_column_double("rater_O")) {
    EXPECT_GE(v, 1.0);
    EXPECT_LE(v, 5.0);
  }
  const auto lex = iv.read_column_double("lexicon_E");
  for (double v : lex) EXPECT_TRUE(std::isfinite(v));
  H5Table shifts = f.open_table("elicit/shifts");
  EXPECT_EQ(shifts.size(), 2 * 2 * 8);  // 2 conditions x 2 scorers x 8 traits
}

TEST(CliElicit, BadInputExitsTwoWithoutOutput) {
  TempDir tmp("cli_elicit_bad");
  const std::string out = tmp.sub("run.h5");
  struct Case {
    std::vector<std::string> a;
    std::string msg;
  } cases[] = {
      {args("persona", out, {}, "grit"), "unknown trait 'grit'"},
      {args("persona", out, {"--levels", "0,10"}), "outside 1..9"},
      {args("steer", out, {"--hook", "layers.7.resid_post", "--alphas", "1"}),
       "valid: layers.{0..1}"},
      {args("persona", out, {"--alphas", "2"}), "without a vector source"},
      {args("charm", out), "--technique: 'charm'"},
  };
  for (const auto& c : cases) {
    auto r = run_cli(c.a);
    EXPECT_EQ(r.code, 2) << c.msg << ": " << r.err;
    EXPECT_NE(r.err.find(c.msg), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  }
}

}  // namespace
}  // namespace traitlab
