#include <gtest/gtest.h>

#include <cmath>

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
  for (const char* name :
       {"llama_gqa", "llama_bias", "qwen2", "mistral", "gpt2", "gemma3", "gemma3_softcap"}) {
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
                 "qwen2, gpt2, gemma3_text)");
  }
}

TEST(ModelConfig, ParsesGemma3GoldenWithPerLayerTypeRope) {
  ModelConfig c = ModelConfig::load(testing::model_dir("gemma3") + "/config.json");
  EXPECT_EQ(c.family, Family::Gemma3);
  EXPECT_EQ(c.head_dim, 32);  // != hidden / heads
  EXPECT_EQ(c.hidden_act, "gelu_pytorch_tanh");
  EXPECT_DOUBLE_EQ(c.query_pre_attn_scalar.value_or(0), 24.0);
  EXPECT_EQ(c.sliding_window.value_or(0), 4);
  EXPECT_EQ(c.sliding_layers, (std::vector<bool>{true, false, true, false}));
  EXPECT_TRUE(c.layer_uses_window(0) && !c.layer_uses_window(1));
  EXPECT_DOUBLE_EQ(c.rope_theta, 1e6);
  EXPECT_EQ(c.rope_scaling.type, "linear");
  EXPECT_DOUBLE_EQ(c.rope_scaling.factor, 2.0);
  EXPECT_DOUBLE_EQ(c.rope_local_theta.value_or(0), 10000.0);
  EXPECT_TRUE(c.tie_word_embeddings);
  EXPECT_FALSE(c.attn_logit_softcapping.has_value());
  FamilySpec f = family_spec(c);
  EXPECT_DOUBLE_EQ(f.embed_scale, 8.0);
  EXPECT_DOUBLE_EQ(f.norm_weight_offset, 1.0);
  EXPECT_TRUE(f.qk_norm && f.sandwich_norms && f.norm_weight_in_float32);
  EXPECT_DOUBLE_EQ(f.attn_scale, 1.0 / std::sqrt(24.0));
  ModelConfig capped = ModelConfig::load(testing::model_dir("gemma3_softcap") + "/config.json");
  EXPECT_DOUBLE_EQ(capped.attn_logit_softcapping.value_or(0), 2.0);
  EXPECT_FALSE(family_spec(capped).attn_softcap.has_value());  // HF's Gemma3 ignores it
  EXPECT_DOUBLE_EQ(family_spec(capped).final_softcap.value_or(0), 3.0);
  // The other families keep their numerics.
  FamilySpec llama = family_spec(ModelConfig::from_json(llama_json(), "c"));
  EXPECT_EQ(llama.embed_scale, 1.0);
  EXPECT_EQ(llama.norm_weight_offset, 0.0);
  EXPECT_FALSE(llama.qk_norm || llama.sandwich_norms || llama.sliding_rope_theta);
}

// The Hub's gemma-3-270m / 1b config.json form (transformers 4.5x).
nlohmann::json gemma3_hub_json() {
  return nlohmann::json::parse(R"({
    "architectures": ["Gemma3ForCausalLM"], "model_type": "gemma3_text",
    "vocab_size": 262144, "hidden_size": 640, "intermediate_size": 2048,
    "num_hidden_layers": 18, "num_attention_heads": 4, "num_key_value_heads": 1,
    "head_dim": 256, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06,
    "hidden_activation": "gelu_pytorch_tanh", "max_position_embeddings": 32768,
    "rope_theta": 1000000.0, "rope_local_base_freq": 10000.0, "rope_scaling": null,
    "sliding_window": 512, "sliding_window_pattern": 6,
    "attn_logit_softcapping": null, "final_logit_softcapping": null,
    "bos_token_id": 2, "eos_token_id": 1, "pad_token_id": 0})");
}

TEST(ModelConfig, ParsesGemma3HubFormAndDerivesLayerTypes) {
  ModelConfig c = ModelConfig::from_json(gemma3_hub_json(), "config.json");
  ASSERT_EQ(c.sliding_layers.size(), 18u);
  for (int64_t i = 0; i < 18; ++i) EXPECT_EQ(c.layer_uses_window(i), (i + 1) % 6 != 0) << i;
  EXPECT_DOUBLE_EQ(c.rope_theta, 1e6);
  EXPECT_DOUBLE_EQ(c.rope_local_theta.value_or(0), 1e4);
  EXPECT_EQ(c.rope_scaling.type, "default");
  EXPECT_TRUE(c.tie_word_embeddings);  // Gemma3TextConfig's default
  // Round trip through to_json keeps the older key form.
  nlohmann::json j = c.to_json();
  EXPECT_EQ(j["rope_local_base_freq"], 10000.0);
  EXPECT_EQ(ModelConfig::from_json(j, "c").sliding_layers, c.sliding_layers);
  auto k = gemma3_hub_json();
  k.erase("head_dim");
  k.erase("rope_theta");
  k.erase("sliding_window_pattern");
  k["num_hidden_layers"] = 4;
  k["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 8.0}};
  ModelConfig d = ModelConfig::from_json(k, "c");
  EXPECT_EQ(d.head_dim, 256);                // HF default, not hidden / heads
  EXPECT_DOUBLE_EQ(d.rope_theta, 1e6);       // gemma3's global default
  EXPECT_EQ(d.rope_scaling.type, "linear");  // on the full layers only
  EXPECT_EQ(d.sliding_layers, (std::vector<bool>{true, true, true, true}));
}

TEST(ModelConfig, Gemma3RefusalsNameTheProblem) {
  auto j = gemma3_hub_json();
  j["model_type"] = "gemma3";
  try {
    ModelConfig::from_json(j, "config.json");
    FAIL() << "accepted model_type gemma3";
  } catch (const UnsupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("gemma3_text"), std::string::npos) << e.what();
  }
  j = gemma3_hub_json();
  j["rope_scaling"] = {{"rope_type", "yarn"}, {"factor", 8.0}};
  EXPECT_THROW(ModelConfig::from_json(j, "c"), UnsupportedError);
  j = gemma3_hub_json();
  j["use_bidirectional_attention"] = true;
  EXPECT_THROW(ModelConfig::from_json(j, "c"), UnsupportedError);
  j = gemma3_hub_json();
  j["layer_types"] = {"sliding_attention", "chunked_attention"};
  EXPECT_NE(error_of(j).find("layer_types"), std::string::npos);
  j = gemma3_hub_json();
  j["sliding_window"] = nullptr;
  EXPECT_NE(error_of(j).find("need a sliding_window"), std::string::npos);
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
  for (const char* name :
       {"llama_gqa", "llama_bias", "qwen2", "mistral", "gpt2", "gemma3", "gemma3_softcap"}) {
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
    EXPECT_EQ(b.sliding_layers, a.sliding_layers) << name;
    EXPECT_EQ(b.rope_local_theta, a.rope_local_theta) << name;
    EXPECT_EQ(b.query_pre_attn_scalar, a.query_pre_attn_scalar) << name;
    EXPECT_EQ(b.attn_logit_softcapping, a.attn_logit_softcapping) << name;
    EXPECT_EQ(b.final_logit_softcapping, a.final_logit_softcapping) << name;
    EXPECT_EQ(b.hidden_act, a.hidden_act) << name;
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
