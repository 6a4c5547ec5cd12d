#pragma once
// Rotary position embeddings as in transformers' LlamaRotaryEmbedding:
// inverse frequencies in float32 (with the llama3 or linear rescaling),
// cos/sin computed in float32 from the absolute positions and then cast to
// the activation dtype, applied half-split (rotate_half), not interleaved.
#include <torch/torch.h>

#include <utility>

#include "core/model/config.h"

namespace traitlab {

// [head_dim / 2] float32 on CPU, from cfg.rope_theta and cfg.rope_scaling.
torch::Tensor rope_inv_freq(const ModelConfig& cfg);
// The same for an explicit base and scaling (gemma3's sliding layers).
torch::Tensor rope_inv_freq(int64_t head_dim, double theta, const RopeScaling& scaling);

// positions [batch, time] int64 -> cos, sin [batch, 1, time, head_dim] in
// `dtype`, ready to broadcast over heads.
std::pair<torch::Tensor, torch::Tensor> rope_cos_sin(const torch::Tensor& inv_freq,
                                                     const torch::Tensor& positions,
                                                     torch::ScalarType dtype);

// x [batch, heads, time, head_dim]: x * cos + rotate_half(x) * sin.
torch::Tensor apply_rope(const torch::Tensor& x, const torch::Tensor& cos,
                         const torch::Tensor& sin);

}  // namespace traitlab
