#pragma once
// A decoder model's configuration, read from a Hugging Face config.json.
// One struct covers every supported family; the family decides how the
// fields are used (see family.h). Unknown model_type is an UnsupportedError.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace traitlab {

enum class Family { Llama, Mistral, Qwen2, Gpt2, Gemma3 };

std::string family_name(Family f);

// rope_scaling / rope_parameters. type "default" means none; "llama3" uses
// factor, low_freq_factor, high_freq_factor, original_max_position_embeddings.
struct RopeScaling {
  std::string type = "default";
  double factor = 1.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position_embeddings = 8192;
};

struct ModelConfig {
  std::string model_type;  // as written in config.json ("llama", "gpt2", ...)
  Family family = Family::Llama;
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;  // gpt2: n_inner or 4*hidden
  int64_t n_layer = 0;
  int64_t n_head = 0;
  int64_t n_kv_head = 0;  // defaults to n_head
  int64_t head_dim = 0;   // defaults to hidden_size / n_head
  int64_t max_position_embeddings = 2048;
  double norm_eps = 1e-6;  // rms_norm_eps, or layer_norm_epsilon for gpt2
  double rope_theta = 10000.0;
  RopeScaling rope_scaling;
  bool tie_word_embeddings = false;
  bool attention_bias = false;  // q/k/v bias (qwen2: always true)
  bool o_bias = false;          // output projection bias (gpt2: true)
  bool mlp_bias = false;
  std::optional<int64_t> sliding_window;  // mistral; null/absent = none
  // Per layer: whether it uses sliding_window (qwen2 slides only from
  // max_window_layers on, or as listed in layer_types). Empty = every layer.
  std::vector<bool> sliding_layers;
  // gpt2 attention scaling: 1/sqrt(head_dim) if scale_attn_weights, further
  // divided by (layer + 1) if scale_attn_by_inverse_layer_idx.
  bool scale_attn_weights = true;
  bool scale_attn_by_inverse_layer_idx = false;
  std::string hidden_act = "silu";  // silu, gelu_new, gelu_pytorch_tanh, gelu, relu
  // gemma3: attention scores are scaled by query_pre_attn_scalar^-0.5
  // instead of head_dim^-0.5.
  std::optional<double> query_pre_attn_scalar;
  // tanh soft-capping, x -> cap * tanh(x / cap), of the attention scores and
  // of the final logits; absent = none (gemma2 sets both, gemma3 neither).
  std::optional<double> attn_logit_softcapping;
  std::optional<double> final_logit_softcapping;
  // gemma3: the rotary base of the sliding-window layers (rope_local_base_freq,
  // or rope_parameters.sliding_attention.rope_theta); they use no scaling.
  // rope_theta and rope_scaling apply to the full-attention layers.
  std::optional<double> rope_local_theta;
  std::optional<int64_t> bos_token_id;
  std::vector<int64_t> eos_token_ids;  // eos_token_id may be an int or a list
  std::optional<int64_t> pad_token_id;
  std::string torch_dtype = "float32";

  // The parsed json, kept so that writing a checkpoint preserves keys that
  // traitlab does not interpret.
  nlohmann::json raw;

  // `where` names the source in error messages (usually the file path).
  static ModelConfig from_json(const nlohmann::json& j, const std::string& where);
  static ModelConfig load(const std::string& path);
  // HF-style config.json: `raw` with every interpreted key overwritten by the
  // current value (so from_json(to_json()) gives back the same config).
  nlohmann::json to_json() const;

  // Whether layer `layer` attends only to the last sliding_window slots.
  bool layer_uses_window(int64_t layer) const {
    return sliding_window.has_value() &&
           (sliding_layers.empty() || sliding_layers[static_cast<size_t>(layer)]);
  }
};

}  // namespace traitlab
