// A GGUF file as a model: a tiny random llama written by the `gguf` Python
// package (tools/goldens/make_gguf_tiny_goldens.py), loaded by traitlab and
// compared with transformers loading the same file: config, tokenizer ids,
// chat template, float32 logits (Q/K permutation undone, Q8_0/Q4_0/F16
// dequantized), and bfloat16 loading.
#include "core/model/gguf_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/checkpoint.h"
#include "core/gguf_checkpoint.h"
#include "core/io/gguf.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;

const char* kRegenerate = "regenerate: $PYTHON tools/goldens/make_gguf_tiny_goldens.py";

std::string tiny_path() { return std::string(TRAITLAB_TEST_DATA) + "/gguf/tiny_llama.gguf"; }

const nlohmann::json& golden() {
  static nlohmann::json j = [] {
    auto g = read_json_file(std::string(TRAITLAB_TEST_DATA) + "/gguf/tiny_llama.json");
    EXPECT_EQ(g.at("format_version").get<int>(), 1) << kRegenerate;
    return g;
  }();
  return j;
}

TEST(GgufModel, ConfigFromMetadata) {
  const GgufFile f = GgufFile::open(tiny_path());
  const nlohmann::json c = gguf_model_config(f);
  for (const auto& [k, v] : golden().at("config").items()) EXPECT_EQ(c.at(k), v) << k;
  EXPECT_EQ(c.at("model_type"), "llama");
  EXPECT_EQ(c.at("tie_word_embeddings"), false);
  const auto names = gguf_weight_map(f);
  EXPECT_EQ(names.at("model.layers.1.self_attn.q_proj.weight").gguf_name, "blk.1.attn_q.weight");
  EXPECT_EQ(names.at("model.layers.1.self_attn.q_proj.weight").unpermute_heads, 4);
  EXPECT_EQ(names.at("model.layers.1.self_attn.k_proj.weight").unpermute_heads, 2);
  EXPECT_EQ(names.at("model.layers.1.self_attn.v_proj.weight").unpermute_heads, 0);
}

TEST(GgufModel, TokenizerAndChatMatchTransformers) {
  const Checkpoint ck = load_checkpoint(tiny_path());
  for (const auto& t : golden().at("texts")) {
    EXPECT_EQ(ck.tokenizer->encode(t.at("text").get<std::string>(), true),
              t.at("ids").get<std::vector<int32_t>>())
        << t.at("text") << "\n"
        << kRegenerate;
  }
  EXPECT_EQ(ck.chat.name(), "chatml");
  EXPECT_EQ(ck.chat.render({{"user", "hi"}}, true),
            golden().at("chat").at("rendered").get<std::string>());
}

struct DtypeCase {
  torch::ScalarType dtype;
  double tol;  // max |logit diff| against transformers' float32
};

class GgufLogits : public ::testing::TestWithParam<DtypeCase> {};

TEST_P(GgufLogits, MatchTransformersOnTheSameFile) {
  LoadOptions lo;
  lo.dtype = GetParam().dtype;
  Checkpoint ck = load_checkpoint(tiny_path(), lo);
  const auto& g = golden().at("logits");
  const auto ids = g.at("ids").get<std::vector<int64_t>>();
  std::vector<float> flat;
  for (const auto& row : g.at("values")) {
    for (float v : row.get<std::vector<float>>()) flat.push_back(v);
  }
  const torch::Tensor want = torch::tensor(flat).reshape({static_cast<int64_t>(ids.size()), -1});
  torch::NoGradGuard ng;
  ForwardArgs args;
  args.tokens = torch::tensor(ids).unsqueeze(0);
  const torch::Tensor got = ck.model->forward(args)[0];
  const double diff = (got - want).abs().max().item<double>();
  EXPECT_LE(diff, GetParam().tol) << "max |logit diff| " << diff << "\n" << kRegenerate;
}

INSTANTIATE_TEST_SUITE_P(Dtypes, GgufLogits,
                         ::testing::Values(DtypeCase{torch::kFloat32, 1e-5},
                                           DtypeCase{torch::kBFloat16, 0.1}),
                         [](const auto& info) {
                           return info.param.dtype == torch::kFloat32 ? "float32" : "bfloat16";
                         });

TEST(GgufModel, DirectoryWithOneGgufLoads) {
  const fs::path dir = fs::temp_directory_path() / ("traitlab-gguf-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy_file(tiny_path(), dir / "m.gguf", fs::copy_options::overwrite_existing);
  EXPECT_EQ(gguf_model_file(dir.string()), (dir / "m.gguf").string());
  fs::copy_file(tiny_path(), dir / "n.gguf", fs::copy_options::overwrite_existing);
  EXPECT_THROW(gguf_model_file(dir.string()), InputError);
  fs::remove_all(dir);
  EXPECT_EQ(gguf_model_file(std::string(TRAITLAB_TEST_DATA) + "/models/llama_gqa"), "");
}

TEST(GgufModel, MissingFileIsOneLine) {
  try {
    load_checkpoint("/nonexistent/model.gguf");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.gguf"), std::string::npos);
  }
}

}  // namespace
}  // namespace traitlab
