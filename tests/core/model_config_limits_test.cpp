// config.json values that parse but would break a model later: found by
// fuzz_model_config (a signed overflow computing 4 * n_embd) and by reading
// what it exercises (an endless loop over 4e9 sliding-window layers, a
// negative RoPE base giving NaN frequencies). Each is refused with its key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/model/config.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

nlohmann::json llama() {
  return {{"model_type", "llama"},        {"vocab_size", 32},       {"hidden_size", 16},
          {"intermediate_size", 32},      {"num_hidden_layers", 2}, {"num_attention_heads", 4},
          {"max_position_embeddings", 64}};
}

std::string error_of(const nlohmann::json& j) {
  try {
    ModelConfig::from_json(j, "config.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ModelConfigLimits, Gpt2HugeEmbeddingIsRefusedBeforeOverflow) {
  nlohmann::json j = {{"model_type", "gpt2"},
                      {"vocab_size", 10},
                      {"n_embd", 4611686018427387904},
                      {"n_layer", 1},
                      {"n_head", 1}};
  EXPECT_EQ(error_of(j), "config.json: key 'n_embd': must be 1..1048576, got 4611686018427387904");
}

TEST(ModelConfigLimits, LayerCountIsBounded) {
  nlohmann::json j = llama();
  j["model_type"] = "qwen2";
  j["num_hidden_layers"] = 4000000000;
  j["use_sliding_window"] = true;
  j["sliding_window"] = 4;
  EXPECT_EQ(error_of(j), "config.json: key 'num_hidden_layers': must be 1..16384, got 4000000000");
}

TEST(ModelConfigLimits, RopeBaseAndFactorsMustBePositive) {
  nlohmann::json j = llama();
  j["rope_theta"] = -5;
  EXPECT_EQ(error_of(j), "config.json: key 'rope_theta': must be positive, got -5");
  j = llama();
  j["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 0}};
  EXPECT_EQ(error_of(j), "config.json: rope_scaling: key 'factor': must be positive, got 0");
  j = llama();
  j["rope_scaling"] = {
      {"rope_type", "llama3"}, {"factor", 8}, {"low_freq_factor", -1}, {"high_freq_factor", 4}};
  EXPECT_EQ(error_of(j),
            "config.json: rope_scaling: key 'low_freq_factor': must be positive, got -1");
}

TEST(ModelConfigLimits, RealisticSizesStillLoad) {
  nlohmann::json j = llama();
  j["vocab_size"] = 152064;
  j["hidden_size"] = 16384;
  j["intermediate_size"] = 53248;
  j["num_hidden_layers"] = 126;
  j["num_attention_heads"] = 128;
  j["num_key_value_heads"] = 8;
  j["max_position_embeddings"] = 10485760;
  EXPECT_EQ(ModelConfig::from_json(j, "config.json").n_layer, 126);
}

}  // namespace
}  // namespace traitlab
