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
// with every projection weight stored [out, in] like torch.nn.Linear.
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
