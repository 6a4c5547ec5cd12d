#pragma once
// The feed-forward sub-block: down(act(gate(x)) * up(x)) for the gated
// (llama) families, down(act(up(x))) for gpt2 (up = c_fc, down = c_proj).
#include <torch/torch.h>

#include "core/model/config.h"
#include "core/model/family.h"
#include "core/model/linear.h"

namespace traitlab {

// gelu_new is transformers' NewGELUActivation formula, kept op for op
// (it rounds differently from torch's tanh-approximate gelu).
torch::Tensor activate(Activation act, const torch::Tensor& x);

class MlpImpl : public torch::nn::Module {
 public:
  MlpImpl(const ModelConfig& cfg, const FamilySpec& spec, const torch::TensorOptions& opts);
  torch::Tensor forward(const torch::Tensor& x);

  Projection gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};

 private:
  Activation act_;
};
TORCH_MODULE(Mlp);

}  // namespace traitlab
