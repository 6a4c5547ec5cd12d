// Real pretrained checkpoints, read from their GGUF files, against
// transformers loading the same files (tools/goldens/make_real_model_goldens.py):
// tokenizer ids on hard strings, the chat template, per-token log-probs of
// answer options after a chat prompt (float32), and greedy ids.
// ctest label "real"; each registered model is one ctest entry with
// TRAITLAB_REAL_MODEL set (tests/CMakeLists.txt). The GGUF file comes from
// scripts/fetch-real-models.sh; a missing file is a failure, not a skip.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/checkpoint.h"
#include "core/ops/generate.h"
#include "core/ops/loglik.h"
#include "core/util/json_io.h"
#include "tests/real/real_models_dir.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;

const char* kRegenerate =
    "regenerate: scripts/fetch-real-models.sh NAME && $PYTHON "
    "tools/goldens/make_real_model_goldens.py NAME";

std::string model_name() {
  const char* n = std::getenv("TRAITLAB_REAL_MODEL");
  return n ? n : "";
}

using testing::real_models_dir;

class RealModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string name = model_name();
    ASSERT_FALSE(name.empty()) << "TRAITLAB_REAL_MODEL is not set (run through ctest -L real)";
    golden_ = new nlohmann::json(read_json_file(str(TRAITLAB_TEST_DATA, "/real/", name, ".json")));
    ASSERT_EQ(golden_->at("format_version").get<int>(), 1) << kRegenerate;
    const std::string path = real_models_dir() + "/" + golden_->at("file").get<std::string>();
    ASSERT_TRUE(fs::is_regular_file(path))
        << path << " is missing: run scripts/fetch-real-models.sh " << name;
    ck_ = new Checkpoint(load_checkpoint(path));
  }
  static void TearDownTestSuite() {
    delete ck_;
    delete golden_;
    ck_ = nullptr;
    golden_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(ck_, nullptr) << "the model did not load"; }

  static nlohmann::json* golden_;
  static Checkpoint* ck_;
};

nlohmann::json* RealModel::golden_ = nullptr;
Checkpoint* RealModel::ck_ = nullptr;

TEST_F(RealModel, TokenizerIdsMatchTransformers) {
  for (const auto& t : golden_->at("tokenizer")) {
    const std::string text = t.at("text");
    EXPECT_EQ(ck_->tokenizer->encode(text, true), t.at("ids").get<std::vector<int32_t>>())
        << "text: " << nlohmann::json(text).dump() << "\n"
        << kRegenerate;
  }
}

TEST_F(RealModel, ChatTemplateMatchesApplyChatTemplate) {
  const auto& c = golden_->at("chat");
  const std::vector<Message> msgs = {{"system", c.at("system")}, {"user", c.at("user")}};
  // A base model has no template: the golden holds plain text, encoded with
  // the tokenizer's BOS, which is what traitlab's plain format does too.
  const bool has_template = c.value("template", true);
  EXPECT_EQ(ck_->chat.name() == "plain", !has_template) << "chat format " << ck_->chat.name();
  const std::string rendered =
      has_template ? ck_->chat.render(msgs, true) : c.at("rendered").get<std::string>();
  EXPECT_EQ(rendered, c.at("rendered").get<std::string>()) << "chat format " << ck_->chat.name();
  EXPECT_EQ(ck_->chat.encode(*ck_->tokenizer, rendered), c.at("ids").get<std::vector<int32_t>>());
}

// transformers dequantizes the same blocks to the same float32 values
// (gguf_quant_test checks the formulas to 0 ulp), so what remains is float32
// summation order in the forward pass.
TEST_F(RealModel, OptionLogProbsMatchTransformersFloat32) {
  const auto prompt = golden_->at("chat").at("ids").get<std::vector<int32_t>>();
  double worst = 0.0;
  for (const auto& row : golden_->at("logprobs")) {
    const auto ids = row.at("ids").get<std::vector<int32_t>>();
    const auto want = row.at("logprobs").get<std::vector<double>>();
    const OptionScore s = score_continuation(ck_->model, prompt, ids);
    ASSERT_EQ(s.token_logprobs.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      const double d = std::abs(s.token_logprobs[i] - want[i]);
      worst = std::max(worst, d);
      EXPECT_LE(d, 1e-4) << "option '" << row.at("option").get<std::string>() << "' token " << i
                         << ": traitlab " << s.token_logprobs[i] << ", transformers " << want[i];
    }
  }
  RecordProperty("max_abs_logprob_diff", std::to_string(worst));
  std::cout << "max |logprob diff| vs transformers: " << worst << "\n";
}

TEST_F(RealModel, GreedyIdsMatchTransformers) {
  const auto prompt = golden_->at("chat").at("ids").get<std::vector<int32_t>>();
  const auto want = golden_->at("greedy").get<std::vector<int32_t>>();
  GenerateOptions o;
  o.max_new_tokens = static_cast<int64_t>(want.size());
  o.sampling.temperature = 0.0;
  const auto out = generate_ids(ck_->model, {{prompt, 0}}, o);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].token_ids, want);
}

}  // namespace
}  // namespace traitlab
