#include "core/model/norm.h"

namespace traitlab {

NormImpl::NormImpl(const FamilySpec& spec, int64_t dim, double eps,
                   const torch::TensorOptions& opts)
    : kind_(spec.norm),
      eps_(eps),
      offset_(spec.norm_weight_offset),
      weight_in_float32_(spec.norm_weight_in_float32) {
  weight = register_parameter("weight", torch::empty({dim}, opts));
  if (kind_ == NormKind::Layer) bias = register_parameter("bias", torch::empty({dim}, opts));
}

torch::Tensor NormImpl::forward(const torch::Tensor& x) {
  if (kind_ == NormKind::Layer) {
    return torch::layer_norm(x, {x.size(-1)}, weight, bias, eps_);
  }
  torch::Tensor h = x.to(torch::kFloat32);
  torch::Tensor variance = h.pow(2).mean(-1, /*keepdim=*/true);
  h = h * torch::rsqrt(variance + eps_);
  if (weight_in_float32_) {
    torch::Tensor w = weight.to(torch::kFloat32);
    if (offset_ != 0.0) w = w + offset_;  // HF: 1.0 + weight.float()
    return (h * w).to(x.scalar_type());
  }
  const torch::Tensor w = offset_ == 0.0 ? weight : weight + offset_;
  return w * h.to(x.scalar_type());
}

}  // namespace traitlab
