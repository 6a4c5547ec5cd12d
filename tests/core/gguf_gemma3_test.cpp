// A Gemma 3 GGUF as llama.cpp's converter writes it (norm weights + 1,
// ffn_norm = pre_feedforward_layernorm, post_attention_norm, post_ffw_norm,
// attn_q_norm / attn_k_norm; tools/goldens/make_gguf_gemma3_goldens.py),
// loaded through the GGUF architecture table and compared with transformers'
// float32 logits of the checkpoint it was written from.
#include <gtest/gtest.h>

#include <memory>

#include "core/io/gguf.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/model/gguf_model.h"
#include "core/model/model_io.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

const char* kRegenerate =
    "regenerate: /work/pyref/bin/python tools/goldens/make_gguf_gemma3_goldens.py";

std::string data(const char* name) { return std::string(TRAITLAB_TEST_DATA) + "/gguf/" + name; }

TEST(GgufGemma3, ConfigAndNamesFollowLlamaCpp) {
  const GgufFile f = GgufFile::open(data("tiny_gemma3.gguf"));
  const ModelConfig c = ModelConfig::from_json(gguf_model_config(f), f.path());
  EXPECT_EQ(c.family, Family::Gemma3);
  EXPECT_EQ(c.head_dim, 32);
  EXPECT_EQ(c.sliding_window.value_or(0), 4);
  EXPECT_EQ(c.sliding_layers, (std::vector<bool>{true, true, true, true, true, false}));
  EXPECT_DOUBLE_EQ(c.query_pre_attn_scalar.value_or(0), 32.0);  // llama.cpp: 1/sqrt(key_length)
  EXPECT_EQ(c.rope_scaling.type, "linear");
  EXPECT_DOUBLE_EQ(c.rope_local_theta.value_or(0), 10000.0);
  EXPECT_EQ(c.hidden_act, "gelu_pytorch_tanh");
  EXPECT_TRUE(c.tie_word_embeddings);
  const auto names = gguf_weight_map(f);
  const auto& ffn_norm = names.at("model.layers.2.pre_feedforward_layernorm.weight");
  EXPECT_EQ(ffn_norm.gguf_name, "blk.2.ffn_norm.weight");
  EXPECT_EQ(ffn_norm.subtract, 1.0f);
  EXPECT_EQ(names.at("model.layers.0.self_attn.k_norm.weight").subtract, 1.0f);
  EXPECT_EQ(names.at("model.norm.weight").subtract, 1.0f);
  EXPECT_EQ(names.at("model.layers.0.self_attn.q_proj.weight").subtract, 0.0f);
  EXPECT_EQ(names.at("model.layers.0.self_attn.q_proj.weight").unpermute_heads, 0);
}

TEST(GgufGemma3, LogitsMatchTransformers) {
  const auto g = read_json_file(data("tiny_gemma3.json"));
  ASSERT_EQ(g.at("format_version").get<int>(), 1) << kRegenerate;
  auto f = std::make_shared<const GgufFile>(GgufFile::open(data("tiny_gemma3.gguf")));
  const ModelConfig cfg = ModelConfig::from_json(gguf_model_config(*f), f->path());
  DecoderModel model = load_model_from(cfg, WeightSource::open_gguf(f, gguf_weight_map(*f)),
                                       torch::kCPU, torch::kFloat32);
  const auto ids = g.at("logits").at("ids").get<std::vector<int64_t>>();
  std::vector<float> flat;
  for (const auto& row : g.at("logits").at("values")) {
    for (float v : row.get<std::vector<float>>()) flat.push_back(v);
  }
  const torch::Tensor want = torch::tensor(flat).reshape({static_cast<int64_t>(ids.size()), -1});
  torch::NoGradGuard ng;
  ForwardArgs args;
  args.tokens = torch::tensor(ids).unsqueeze(0);
  const double diff = (model->forward(args)[0] - want).abs().max().item<double>();
  std::printf("[ measured ] tiny_gemma3.gguf float32 vs transformers: max |dlogit| = %.3g\n", diff);
  EXPECT_LE(diff, 1e-4) << kRegenerate;
}

}  // namespace
}  // namespace traitlab
