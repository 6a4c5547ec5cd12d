#include <gtest/gtest.h>

#include <filesystem>

#include "core/checkpoint.h"
#include "core/util/json_io.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::TempDir;
using testing::tiny_model_args;

TEST(CliInitModel, WritesALoadableCheckpoint) {
  TempDir tmp("init_model");
  const std::string out = tmp.sub("m");
  auto r = run_cli(tiny_model_args(out));
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f :
       {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
    EXPECT_TRUE(fs::is_regular_file(fs::path(out) / f)) << f;
  }
  auto ck = load_checkpoint(out);
  EXPECT_EQ(ck.model->config().n_layer, 2);
  EXPECT_EQ(ck.model->config().n_kv_head, 2);
  EXPECT_EQ(ck.model->config().vocab_size, 400);
  EXPECT_EQ(ck.tokenizer->vocab_size(), 400);
  EXPECT_EQ(ck.chat.kind(), ChatFormatKind::Llama3);
  // The llama3 format's BOS comes from the tokenizer's post-processor.
  auto ids = ck.tokenizer->encode("Hi A", true);
  EXPECT_EQ(ids.front(), *ck.tokenizer->token_to_id("<|begin_of_text|>"));
  EXPECT_EQ(ck.tokenizer->decode(ids, true), "Hi A");

  // Same seed, same weights; a non-empty directory needs --overwrite.
  auto again = run_cli(tiny_model_args(out));
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
  auto args = tiny_model_args(tmp.sub("m2"));
  ASSERT_EQ(run_cli(args).code, 0);
  EXPECT_EQ(read_file(out + "/model.safetensors"), read_file(tmp.sub("m2") + "/model.safetensors"));
}

TEST(CliInitModel, VocabFromCopiesTheTokenizer) {
  TempDir tmp("init_model_vf");
  const std::string src = std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok/tokenizer.json";
  for (const char* arch : {"gpt2", "qwen2", "mistral"}) {
    const std::string out = tmp.sub(arch);
    auto r = run_cli({"init-model", "--arch", arch, "--layers", "1", "--hidden", "32", "--heads",
                      "2", "--vocab-from", src, "--out", out});
    ASSERT_EQ(r.code, 0) << arch << ": " << r.err;
    EXPECT_EQ(read_file(out + "/tokenizer.json"), read_file(src));
    auto ck = load_checkpoint(out);
    EXPECT_EQ(ck.model->config().vocab_size, ck.tokenizer->vocab_size()) << arch;
    // tokenizer_config.json (with the Llama-3 template) came along.
    EXPECT_EQ(ck.chat.kind(), ChatFormatKind::Llama3) << arch;
  }
}

TEST(CliInitModel, BadArgumentsExitWithTwo) {
  TempDir tmp("init_model_bad");
  auto unknown = run_cli({"init-model", "--arch", "llama", "--vocab", "400", "--bogus-flag", "1",
                          "--out", tmp.sub("x")});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("bogus-flag"), std::string::npos) << unknown.err;
  EXPECT_EQ(run_cli({"init-model", "--arch", "bert", "--vocab", "400", "--out", tmp.sub("y")}).code,
            2);
  EXPECT_EQ(run_cli({"init-model", "--arch", "llama", "--vocab", "10", "--out", tmp.sub("z")}).code,
            2);
  EXPECT_EQ(run_cli({"init-model", "--arch", "llama", "--hidden", "30", "--heads", "4", "--vocab",
                     "400", "--out", tmp.sub("w")})
                .code,
            2);
  auto help = run_cli({"init-model", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--layers"), std::string::npos);
  EXPECT_NE(help.out.find("(=2)"), std::string::npos) << "defaults shown: " << help.out;
}

}  // namespace
}  // namespace traitlab
