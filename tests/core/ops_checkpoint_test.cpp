#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/checkpoint.h"
#include "core/util/error.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;

// A copy of llama_tok without `drop`; InputError names the missing file.
void expect_missing(const std::string& drop) {
  const fs::path tmp =
      fs::temp_directory_path() / ("traitlab_ckpt_" + std::to_string(getpid()) + "_" + drop);
  fs::remove_all(tmp);
  fs::copy(testing::llama_tok_dir(), tmp);
  fs::remove(tmp / drop);
  try {
    load_checkpoint(tmp.string());
    ADD_FAILURE() << "no error without " << drop;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(drop), std::string::npos) << e.what();
  }
  fs::remove_all(tmp);
}

TEST(OpsCheckpoint, MissingFilesAreNamed) {
  expect_missing("config.json");
  expect_missing("model.safetensors");
  expect_missing("tokenizer.json");
  EXPECT_THROW(load_checkpoint("/nonexistent/traitlab/model"), InputError);
}

TEST(OpsCheckpoint, ChatFormatIsDetectedOrOverridden) {
  EXPECT_EQ(load_checkpoint(testing::llama_tok_dir()).chat.kind(), ChatFormatKind::Llama3);
  LoadOptions o;
  o.chat_format = "chatml";
  EXPECT_EQ(load_checkpoint(testing::llama_tok_dir(), o).chat.kind(), ChatFormatKind::ChatML);
  o.chat_format = "vicuna";
  EXPECT_THROW(load_checkpoint(testing::llama_tok_dir(), o), InputError);
  // Without tokenizer_config.json the model is a plain completion model.
  const fs::path tmp =
      fs::temp_directory_path() / ("traitlab_ckpt_plain_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::copy(testing::llama_tok_dir(), tmp);
  fs::remove(tmp / "tokenizer_config.json");
  EXPECT_EQ(load_checkpoint(tmp.string()).chat.kind(), ChatFormatKind::Plain);
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace traitlab
