#include <gtest/gtest.h>

#include "core/model/config.h"
#include "core/model/family.h"
#include "core/util/error.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

nlohmann::json llama_json() {
  return nlohmann::json::parse(R"({
    "model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "rms_norm_eps": 1e-5,
    "rope_theta": 500000.0, "tie_word_embeddings": true, "eos_token_id": [7, 9],
    "rope_scaling": {"type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                     "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
    "custom_key": {"kept": true}})");
}

std::string error_of(const nlohmann::json& j) {
  try {
    ModelConfig::from_json(j, "m/config.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelConfig, ParsesLlamaWithDefaultsAndOldRopeScaling) {
  ModelConfig c = ModelConfig::from_json(llama_json(), "config.json");
  EXPECT_EQ(c.family, Family::Llama);
  EXPECT_EQ(c.n_kv_head, 4);  // defaults to the head count
  EXPECT_EQ(c.head_dim, 16);
  EXPECT_DOUBLE_EQ(c.rope_theta, 500000.0);
  EXPECT_EQ(c.rope_scaling.type, "llama3");
  EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 8.0);
  EXPECT_EQ(c.rope_scaling.original_max_position_embeddings, 8192);
  EXPECT_EQ(c.eos_token_ids, (std::vector<int64_t>{7, 9}));
  EXPECT_TRUE(c.tie_word_embeddings);
  EXPECT_FALSE(c.attention_bias);
  EXPECT_FALSE(c.sliding_window.has_value());
}

TEST(ModelConfig, ParsesRopeParametersForm) {
  auto j = llama_json();
  j.erase("rope_scaling");
  j.erase("rope_theta");
  j["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", 1234.0}};
  ModelConfig c = ModelConfig::from_json(j, "config.json");
  EXPECT_EQ(c.rope_scaling.type, "default");
  EXPECT_DOUBLE_EQ(c.rope_theta, 1234.0);
}

TEST(ModelConfig, EveryGoldenConfigParses) {
  for (const char* name : {"llama_gqa", "llama_bias", "qwen2", "mistral", "gpt2"}) {
    ModelConfig c = ModelConfig::load(testing::model_dir(name) + "/config.json");
    EXPECT_EQ(c.model_type, c.family == Family::Gpt2 ? "gpt2" : c.model_type) << name;
    EXPECT_EQ(c.hidden_size, 64) << name;
  }
  ModelConfig gqa = ModelConfig::load(testing::model_dir("llama_gqa") + "/config.json");
  EXPECT_EQ(gqa.rope_scaling.type, "llama3");  // written as rope_parameters by transformers 5
  EXPECT_EQ(gqa.n_kv_head, 2);
  ModelConfig bias = ModelConfig::load(testing::model_dir("llama_bias") + "/config.json");
  EXPECT_EQ(bias.head_dim, 8);
  EXPECT_TRUE(bias.attention_bias && bias.o_bias && bias.mlp_bias);
  ModelConfig qwen = ModelConfig::load(testing::model_dir("qwen2") + "/config.json");
  EXPECT_TRUE(qwen.attention_bias);
  EXPECT_FALSE(qwen.o_bias);
  EXPECT_TRUE(qwen.tie_word_embeddings);
  ModelConfig mistral = ModelConfig::load(testing::model_dir("mistral") + "/config.json");
  EXPECT_EQ(mistral.sliding_window.value_or(0), 8);
  ModelConfig gpt2 = ModelConfig::load(testing::model_dir("gpt2") + "/config.json");
  EXPECT_EQ(gpt2.intermediate_size, 256);  // n_inner null -> 4 * n_embd
  EXPECT_EQ(gpt2.max_position_embeddings, 128);
  EXPECT_EQ(gpt2.hidden_act, "gelu_new");
  EXPECT_TRUE(gpt2.tie_word_embeddings);
}

TEST(ModelConfig, MistralSlidingWindowMayBeNull) {
  auto j = llama_json();
  j["model_type"] = "mistral";
  j["sliding_window"] = nullptr;
  EXPECT_FALSE(ModelConfig::from_json(j, "c").sliding_window.has_value());
  j["sliding_window"] = 4096;
  EXPECT_EQ(ModelConfig::from_json(j, "c").sliding_window.value_or(0), 4096);
}

TEST(ModelConfig, Qwen2SlidesOnlyWhenEnabledAndFromMaxWindowLayers) {
  auto j = llama_json();
  j["model_type"] = "qwen2";
  j["sliding_window"] = 16;
  j["use_sliding_window"] = false;
  ModelConfig off = ModelConfig::from_json(j, "c");
  EXPECT_FALSE(off.layer_uses_window(0) || off.layer_uses_window(1));
  j["use_sliding_window"] = true;
  j["max_window_layers"] = 1;
  ModelConfig on = ModelConfig::from_json(j, "c");
  EXPECT_FALSE(on.layer_uses_window(0));
  EXPECT_TRUE(on.layer_uses_window(1));
}

TEST(ModelConfig, UnknownModelTypeIsUnsupported) {
  auto j = llama_json();
  j["model_type"] = "xyz";
  try {
    ModelConfig::from_json(j, "config.json");
    FAIL() << "accepted model_type xyz";
  } catch (const UnsupportedError& e) {
    EXPECT_STREQ(e.what(),
                 "config.json: model_type 'xyz' is not supported (supported: llama, mistral, "
                 "qwen2, gpt2)");
  }
}

TEST(ModelConfig, BadKeysNameFileAndKey) {
  auto j = llama_json();
  j.erase("hidden_size");
  EXPECT_EQ(error_of(j), "m/config.json: missing key 'hidden_size'");
  j = llama_json();
  j["num_hidden_layers"] = "two";
  EXPECT_EQ(error_of(j),
            "m/config.json: key 'num_hidden_layers': expected an integer, got \"two\"");
  j = llama_json();
  j["hidden_size"] = 66;
  EXPECT_NE(error_of(j).find("hidden_size 66 is not divisible by num_attention_heads 4"),
            std::string::npos);
  j = llama_json();
  j["num_key_value_heads"] = 3;
  EXPECT_NE(error_of(j).find("num_attention_heads 4 is not divisible by num_key_value_heads 3"),
            std::string::npos);
  j = llama_json();
  j["rope_scaling"]["type"] = "yarn";
  EXPECT_NE(error_of(j).find("rope_scaling: rope_type 'yarn' is not supported"), std::string::npos);
  j = llama_json();
  j["rope_scaling"].erase("factor");
  EXPECT_EQ(error_of(j), "m/config.json: rope_scaling: missing key 'factor'");
  j = llama_json();
  j["eos_token_id"] = "x";
  EXPECT_NE(error_of(j).find("key 'eos_token_id'"), std::string::npos);
  j = llama_json();
  j["hidden_act"] = "swiglu9";
  EXPECT_NE(error_of(j).find("activation 'swiglu9' is not supported"), std::string::npos);
  EXPECT_NE(error_of(nlohmann::json::array()).find("expected a JSON object"), std::string::npos);
}

TEST(ModelConfig, ToJsonRoundTripsAndKeepsUnknownKeys) {
  for (const char* name : {"llama_gqa", "llama_bias", "qwen2", "mistral", "gpt2"}) {
    ModelConfig a = ModelConfig::load(testing::model_dir(name) + "/config.json");
    nlohmann::json j = a.to_json();
    ModelConfig b = ModelConfig::from_json(j, "roundtrip");
    EXPECT_EQ(b.to_json(), j) << name;
    EXPECT_EQ(b.hidden_size, a.hidden_size);
    EXPECT_EQ(b.n_kv_head, a.n_kv_head);
    EXPECT_EQ(b.head_dim, a.head_dim);
    EXPECT_EQ(b.rope_scaling.type, a.rope_scaling.type);
    EXPECT_DOUBLE_EQ(b.rope_theta, a.rope_theta);
    EXPECT_EQ(b.sliding_window, a.sliding_window);
    EXPECT_EQ(b.tie_word_embeddings, a.tie_word_embeddings);
    EXPECT_EQ(b.eos_token_ids, a.eos_token_ids);
  }
  ModelConfig c = ModelConfig::from_json(llama_json(), "c");
  c.torch_dtype = "bfloat16";
  nlohmann::json j = c.to_json();
  EXPECT_EQ(j["custom_key"]["kept"], true);
  EXPECT_EQ(j["torch_dtype"], "bfloat16");
  EXPECT_EQ(j["rope_scaling"]["rope_type"], "llama3");
  EXPECT_EQ(ModelConfig::from_json(j, "c").rope_scaling.high_freq_factor, 4.0);
}

TEST(ModelFamily, WeightSpecsCoverGpt2Conv1DLayout) {
  ModelConfig c = ModelConfig::load(testing::model_dir("gpt2") + "/config.json");
  auto specs = hf_weight_specs(c);
  const WeightSpec* c_attn = nullptr;
  for (const auto& s : specs) {
    if (s.hf_name == "transformer.h.0.attn.c_attn.weight") c_attn = &s;
  }
  ASSERT_NE(c_attn, nullptr);
  EXPECT_TRUE(c_attn->transpose);
  EXPECT_EQ(c_attn->hf_shape, (std::vector<int64_t>{64, 192}));
  EXPECT_EQ(c_attn->params.size(), 3u);
  EXPECT_TRUE(is_ignorable_tensor(c, "transformer.h.1.attn.bias"));
  EXPECT_TRUE(is_ignorable_tensor(c, "lm_head.weight"));  // tied
  EXPECT_FALSE(is_ignorable_tensor(c, "transformer.h.1.attn.c_proj.weight"));
}

}  // namespace
}  // namespace traitlab
