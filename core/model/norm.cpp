#include "core/model/norm.h"

namespace traitlab {

NormImpl::NormImpl(NormKind kind, int64_t dim, double eps, const torch::TensorOptions& opts)
    : kind_(kind), eps_(eps) {
  weight = register_parameter("weight", torch::empty({dim}, opts));
  if (kind == NormKind::Layer) bias = register_parameter("bias", torch::empty({dim}, opts));
}

torch::Tensor NormImpl::forward(const torch::Tensor& x) {
  if (kind_ == NormKind::Layer) {
    return torch::layer_norm(x, {x.size(-1)}, weight, bias, eps_);
  }
  torch::Tensor h = x.to(torch::kFloat32);
  torch::Tensor variance = h.pow(2).mean(-1, /*keepdim=*/true);
  h = h * torch::rsqrt(variance + eps_);
  return weight * h.to(x.scalar_type());
}

}  // namespace traitlab
