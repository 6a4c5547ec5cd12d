#pragma once
// Layer norms. RMSNorm follows transformers' LlamaRMSNorm exactly: the
// statistics in float32, the normalised value cast back to the input dtype
// and only then multiplied by the weight; or, with the spec's
// norm_weight_in_float32 and norm_weight_offset (Gemma3RMSNorm), multiplied
// by (offset + w) in float32 and then cast back. LayerNorm (gpt2) is torch's.
#include <torch/torch.h>

#include "core/model/family.h"

namespace traitlab {

class NormImpl : public torch::nn::Module {
 public:
  NormImpl(const FamilySpec& spec, int64_t dim, double eps, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;
  torch::Tensor bias;  // LayerNorm only

 private:
  NormKind kind_;
  double eps_;
  double offset_;
  bool weight_in_float32_;
};
TORCH_MODULE(Norm);

}  // namespace traitlab
