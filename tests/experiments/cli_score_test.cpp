#include <gtest/gtest.h>

#include "core/checkpoint.h"
#include "core/ops/loglik.h"
#include "core/ops/next_token.h"
#include "core/util/json_io.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;
using testing::tiny_model_args;

class CliScore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir("cli_score");
    auto r = run_cli(tiny_model_args(model()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete tmp_; }
  static std::string model() { return tmp_->sub("m"); }
  static TempDir* tmp_;
};
TempDir* CliScore::tmp_ = nullptr;

TEST_F(CliScore, OptionsAgreeWithTheLibrary) {
  const std::string ctx = "Question: Which word describes you best?\nAnswer:";
  const std::vector<std::string> opts = {" calm", " anxious", " curious and open"};
  auto r = run_cli({"score", "--model", model(), "--context", ctx, "--option", opts[0], "--option",
                    opts[1], "--option", opts[2], "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = parse_json(r.out, "score --json");
  auto ck = load_checkpoint(model());
  auto want = loglikelihood_options(ck.model, *ck.tokenizer, ctx, opts);
  ASSERT_EQ(j["options"].size(), opts.size());
  double psum = 0.0;
  for (size_t i = 0; i < opts.size(); ++i) {
    EXPECT_NEAR(j["options"][i]["logprob"].get<double>(), want[i].logprob_sum, 1e-6);
    EXPECT_EQ(j["options"][i]["n_tokens"].get<int64_t>(), want[i].n_tokens);
    psum += j["options"][i]["prob"].get<double>();
  }
  EXPECT_NEAR(psum, 1.0, 1e-9);

  auto table = run_cli(
      {"score", "--model", model(), "--context", ctx, "--option", opts[0], "--option", opts[1]});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("logprob"), std::string::npos);
  EXPECT_NE(table.out.find("\" calm\""), std::string::npos) << table.out;
}

TEST_F(CliScore, LettersAgreeWithTheLibrary) {
  const std::string ctx = "Options:\nA. Walk over\nB. Stay\nAnswer:";
  auto r = run_cli({"score", "--model", model(), "--context", ctx, "--letters", "A,B", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = parse_json(r.out, "score --letters --json");
  auto ck = load_checkpoint(model());
  std::vector<std::vector<int32_t>> ids = {label_token_ids(*ck.tokenizer, "A"),
                                           label_token_ids(*ck.tokenizer, "B")};
  EXPECT_EQ(ids[0].size(), 2u);  // "A" and "ĠA" in the built-in tokenizer
  auto want = label_probs(ck.model, ck.tokenizer->encode(ctx, true), ids);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_NEAR(j["labels"][k]["prob"].get<double>(), want.prob[k], 1e-9);
    EXPECT_EQ(j["labels"][k]["token_ids"].get<std::vector<int32_t>>(), ids[k]);
  }
}

TEST_F(CliScore, ChatModeScoresTheRenderedPrompt) {
  auto r = run_cli({"score", "--model", model(), "--context", "Do you like parties?", "--chat",
                    "--system", "Be calm.", "--option", "Yes", "--option", "No", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = parse_json(r.out, "score --chat --json");
  EXPECT_EQ(j["chat_format"], "llama3");
  auto ck = load_checkpoint(model());
  const std::string rendered =
      ck.chat.render({{"system", "Be calm."}, {"user", "Do you like parties?"}}, true);
  auto want = loglikelihood_options(ck.model, *ck.tokenizer, rendered, {"Yes", "No"});
  EXPECT_NEAR(j["options"][1]["logprob"].get<double>(), want[1].logprob_sum, 1e-6);
}

TEST_F(CliScore, BadInputExitsWithTwo) {
  EXPECT_EQ(run_cli({"score", "--model", model(), "--context", "x"}).code, 2);  // no options
  EXPECT_EQ(run_cli({"score", "--model", model(), "--option", "a"}).code, 2);   // no context
  EXPECT_EQ(run_cli({"score", "--model", model(), "--context", "x", "--letters", "ZZ"}).code, 2);
  auto missing =
      run_cli({"score", "--model", tmp_->sub("nope"), "--context", "x", "--option", "y"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;
  EXPECT_EQ(
      run_cli({"score", "--model", model(), "--dtype", "int4", "--context", "x", "--option", "y"})
          .code,
      2);
  auto help = run_cli({"score", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--letters"), std::string::npos);
  EXPECT_NE(help.out.find("(=float32)"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace traitlab
