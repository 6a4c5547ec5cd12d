#include "core/model/mlp.h"

#include <cmath>

namespace traitlab {

torch::Tensor activate(Activation act, const torch::Tensor& x) {
  switch (act) {
    case Activation::Silu:
      return torch::silu(x);
    case Activation::GeluNew:
      return 0.5 * x *
             (1.0 + torch::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * torch::pow(x, 3.0))));
    case Activation::GeluTanh:
      return torch::gelu(x, "tanh");
    case Activation::Gelu:
      return torch::gelu(x);
    case Activation::Relu:
      return torch::relu(x);
  }
  return x;
}

MlpImpl::MlpImpl(const ModelConfig& cfg, const FamilySpec& spec, const torch::TensorOptions& opts)
    : act_(spec.act) {
  const int64_t h = cfg.hidden_size, inter = cfg.intermediate_size;
  if (spec.gated_mlp)
    gate_proj = register_module("gate_proj", Projection(h, inter, spec.mlp_bias, opts));
  up_proj = register_module("up_proj", Projection(h, inter, spec.mlp_bias, opts));
  down_proj = register_module("down_proj", Projection(inter, h, spec.mlp_bias, opts));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
  if (gate_proj) return down_proj(activate(act_, gate_proj(x)) * up_proj(x));
  return down_proj(activate(act_, up_proj(x)));
}

}  // namespace traitlab
