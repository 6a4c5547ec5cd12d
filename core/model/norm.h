#pragma once
// Layer norms. RMSNorm follows transformers' LlamaRMSNorm exactly: the
// statistics in float32, the normalised value cast back to the input dtype
// and only then multiplied by the weight. LayerNorm (gpt2) is torch's.
#include <torch/torch.h>

#include "core/model/family.h"

namespace traitlab {

class NormImpl : public torch::nn::Module {
 public:
  NormImpl(NormKind kind, int64_t dim, double eps, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;
  torch::Tensor bias;  // LayerNorm only

 private:
  NormKind kind_;
  double eps_;
};
TORCH_MODULE(Norm);

}  // namespace traitlab
