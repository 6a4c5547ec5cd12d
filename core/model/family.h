#pragma once
// What distinguishes the supported families, as data: the decoder code reads
// a FamilySpec instead of branching on the model type, and the weight-name
// map below is the only place that knows Hugging Face tensor names.
//
// Internal parameter names (DecoderModelImpl::named_parameters()) follow
// the llama layout for every family:
//   embed_tokens.weight, embed_positions.weight (learned positions only),
//   layers.{i}.input_layernorm.{weight,bias}, layers.{i}.self_attn.{q,k,v,o}_proj.{weight,bias},
//   layers.{i}.post_attention_layernorm.{weight,bias},
//   layers.{i}.mlp.{gate,up,down}_proj.{weight,bias}, norm.{weight,bias}, lm_head.weight (untied
//   only)
// and, where the spec asks for them (gemma3),
//   layers.{i}.self_attn.{q,k}_norm.weight (qk_norm),
//   layers.{i}.{pre,post}_feedforward_layernorm.weight (sandwich_norms)
// with every projection weight stored [out, in] like torch.nn.Linear.
#include <optional>
#include <string>
#include <vector>

#include "core/model/config.h"

namespace traitlab {

enum class NormKind { Rms, Layer };
enum class Activation { Silu, GeluNew, GeluTanh, Gelu, Relu };

struct FamilySpec {
  NormKind norm = NormKind::Rms;
  bool rope = true;       // rotary positions; false = learned position table
  bool gated_mlp = true;  // down(act(gate(x)) * up(x)) vs down(act(up(x)))
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  Activation act = Activation::Silu;

  // Input embeddings are multiplied by this (gemma: sqrt(hidden_size),
  // rounded to the model dtype first as Gemma3TextScaledWordEmbedding does).
  double embed_scale = 1.0;
  // RMSNorm scales by (offset + w): 0 for llama, 1 for gemma (whose stored
  // weights are centred on 0). With norm_weight_in_float32 the weight is
  // applied in float32 before casting back (gemma's (x * (1 + w)).to(dtype));
  // without, after (llama's w * x.to(dtype)).
  double norm_weight_offset = 0.0;
  bool norm_weight_in_float32 = false;
  // Per-head RMSNorm of queries and keys over head_dim, before rope.
  bool qk_norm = false;
  // Four norms per block: the attention and MLP outputs are normed
  // (post_attention_layernorm, post_feedforward_layernorm) before their
  // residual adds, and the MLP input by pre_feedforward_layernorm. Without,
  // post_attention_layernorm is the MLP's input norm (llama).
  bool sandwich_norms = false;
  // Attention scores are multiplied by attn_scale, then (if
  // attn_scale_by_inverse_layer, gpt2) divided by layer + 1.
  double attn_scale = 1.0;
  bool attn_scale_by_inverse_layer = false;
  // cap * tanh(x / cap) of the attention scores (before the mask) and of the
  // logits (before the cast to float32); absent = none.
  std::optional<double> attn_softcap;
  std::optional<double> final_softcap;
  // Rotary base of the sliding-window layers when it differs from the full
  // layers' (gemma3: rope_local_base_freq, unscaled); absent = one table.
  std::optional<double> sliding_rope_theta;
};

FamilySpec family_spec(const ModelConfig& cfg);

// One tensor of a Hugging Face checkpoint and the internal parameters it
// holds. Several parameters are concatenated along dim 0 of the internal
// layout (gpt2's c_attn = q, k, v). `transpose`: the file stores [in, out]
// (gpt2 Conv1D).
struct WeightSpec {
  std::string hf_name;
  std::vector<std::string> params;
  std::vector<int64_t> hf_shape;
  bool transpose = false;
};

// Every tensor a checkpoint of this config must provide (tied head omitted),
// with gpt2 names under "transformer.".
std::vector<WeightSpec> hf_weight_specs(const ModelConfig& cfg);
// Tensors that checkpoints carry but the model does not use: rotary
// inv_freq buffers, gpt2's attn.bias / attn.masked_bias masks, and
// lm_head.weight when the head is tied.
bool is_ignorable_tensor(const ModelConfig& cfg, const std::string& hf_name);

}  // namespace traitlab
