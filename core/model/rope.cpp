#include "core/model/rope.h"

#include <cmath>

namespace traitlab {

namespace {

// transformers' _compute_llama3_parameters, op for op in float32: long
// wavelengths are divided by `factor`, short ones kept, and the band in
// between interpolated.
torch::Tensor llama3_scale(const torch::Tensor& inv_freq, const RopeScaling& r) {
  const double old_len = static_cast<double>(r.original_max_position_embeddings);
  const double low_freq_wavelen = old_len / r.low_freq_factor;
  const double high_freq_wavelen = old_len / r.high_freq_factor;
  torch::Tensor wavelen = 2 * M_PI / inv_freq;
  torch::Tensor scaled = torch::where(wavelen > low_freq_wavelen, inv_freq / r.factor, inv_freq);
  torch::Tensor smooth =
      (old_len / wavelen - r.low_freq_factor) / (r.high_freq_factor - r.low_freq_factor);
  torch::Tensor smoothed = (1 - smooth) * scaled / r.factor + smooth * scaled;
  torch::Tensor medium = torch::logical_not(wavelen < high_freq_wavelen) *
                         torch::logical_not(wavelen > low_freq_wavelen);
  return torch::where(medium, smoothed, scaled);
}

}  // namespace

torch::Tensor rope_inv_freq(const ModelConfig& cfg) {
  return rope_inv_freq(cfg.head_dim, cfg.rope_theta, cfg.rope_scaling);
}

torch::Tensor rope_inv_freq(int64_t head_dim, double theta, const RopeScaling& scaling) {
  const int64_t dim = head_dim;
  torch::Tensor exponent =
      torch::arange(0, dim, 2, torch::kInt64).to(torch::kFloat32) / static_cast<double>(dim);
  torch::Tensor inv_freq = 1.0 / torch::pow(theta, exponent);
  if (scaling.type == "llama3") return llama3_scale(inv_freq, scaling);
  if (scaling.type == "linear") return inv_freq / scaling.factor;
  return inv_freq;
}

std::pair<torch::Tensor, torch::Tensor> rope_cos_sin(const torch::Tensor& inv_freq,
                                                     const torch::Tensor& positions,
                                                     torch::ScalarType dtype) {
  torch::Tensor freqs = positions.unsqueeze(-1).to(torch::kFloat32) * inv_freq;
  torch::Tensor emb = torch::cat({freqs, freqs}, -1).unsqueeze(1);
  return {emb.cos().to(dtype), emb.sin().to(dtype)};
}

torch::Tensor apply_rope(const torch::Tensor& x, const torch::Tensor& cos,
                         const torch::Tensor& sin) {
  const int64_t half = x.size(-1) / 2;
  torch::Tensor rotated = torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * cos + rotated * sin;
}

}  // namespace traitlab
