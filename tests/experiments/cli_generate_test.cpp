#include <gtest/gtest.h>

#include "core/checkpoint.h"
#include "core/ops/generate.h"
#include "core/util/json_io.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;
using testing::tiny_model_args;

class CliGenerate : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir("cli_generate");
    auto r = run_cli(tiny_model_args(model()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  static void TearDownTestSuite() { delete tmp_; }
  static std::string model() { return tmp_->sub("m"); }
  static TempDir* tmp_;
};
TempDir* CliGenerate::tmp_ = nullptr;

TEST_F(CliGenerate, GreedyAgreesWithTheLibrary) {
  auto r = run_cli({"generate", "--model", model(), "--prompt", "Hello world", "--max-new-tokens",
                    "9", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = parse_json(r.out, "generate --json");
  auto ck = load_checkpoint(model());
  GenerateOptions o;
  o.max_new_tokens = 9;
  o.eos_ids = default_eos_ids(ck);
  auto want =
      generate(ck.model, *ck.tokenizer, {{ck.tokenizer->encode("Hello world", true), 0}}, o);
  EXPECT_EQ(j["samples"][0]["token_ids"].get<std::vector<int32_t>>(), want[0].token_ids);
  EXPECT_EQ(j["samples"][0]["text"].get<std::string>(), want[0].text);
}

TEST_F(CliGenerate, SamplesAreSeeded) {
  const std::vector<std::string> args = {"generate",
                                         "--model",
                                         model(),
                                         "--prompt",
                                         "Hi",
                                         "--chat",
                                         "--temperature",
                                         "1.0",
                                         "--top-k",
                                         "50",
                                         "--top-p",
                                         "0.9",
                                         "--seed",
                                         "4",
                                         "--n",
                                         "3",
                                         "--max-new-tokens",
                                         "6",
                                         "--json"};
  auto a = run_cli(args);
  ASSERT_EQ(a.code, 0) << a.err;
  auto b = run_cli(args);
  EXPECT_EQ(a.out, b.out);
  auto j = parse_json(a.out, "generate --json");
  ASSERT_EQ(j["samples"].size(), 3u);
  EXPECT_EQ(j["samples"][2]["seed"], 6);
  // --n 3 --seed 4 sample 1 equals a lone run with seed 5.
  auto lone = run_cli({"generate", "--model", model(), "--prompt", "Hi", "--chat", "--temperature",
                       "1.0", "--top-k", "50", "--top-p", "0.9", "--seed", "5", "--max-new-tokens",
                       "6", "--json"});
  ASSERT_EQ(lone.code, 0) << lone.err;
  EXPECT_EQ(parse_json(lone.out, "lone")["samples"][0]["token_ids"], j["samples"][1]["token_ids"]);
}

TEST_F(CliGenerate, BadInputExitsWithTwo) {
  EXPECT_EQ(run_cli({"generate", "--model", model()}).code, 2);  // no prompt
  EXPECT_EQ(run_cli({"generate", "--model", model(), "--prompt", "x", "--top-p", "0"}).code, 2);
  EXPECT_EQ(run_cli({"generate", "--model", model(), "--prompt", "x", "--temperature", "hot"}).code,
            2);
  EXPECT_EQ(run_cli({"generate", "--model", model(), "--prompt", "x", "--n", "0"}).code, 2);
  EXPECT_EQ(run_cli({"generate", "--prompt", "x"}).code, 2);  // no model
  auto help = run_cli({"generate", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--max-new-tokens"), std::string::npos);
}

}  // namespace
}  // namespace traitlab
