#pragma once
// The optimizer interface the trainer drives, and helpers shared by the
// optimizers: which parameters get weight decay (transformers' rule) and
// gradient clipping (torch.nn.utils.clip_grad_norm_).
#include <torch/torch.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab {

struct NamedParam {
  std::string name;
  torch::Tensor param;  // a leaf with requires_grad
  bool decay = true;    // apply weight decay
  bool galore = false;  // project the gradient (GaLore optimizer only)
};

// transformers' Trainer puts biases and norm weights in a group without
// weight decay (names containing "bias", "layernorm", "rmsnorm", "_norm",
// or a ".norm." component).
bool hf_decays(const std::string& name);

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update from the parameters' .grad(), at learning rate lr.
  virtual void step(double lr) = 0;
  void zero_grad();
  const std::vector<NamedParam>& params() const { return params_; }

  // State for checkpoints: tensors (named "<param>.<slot>") and scalars.
  virtual std::vector<std::pair<std::string, torch::Tensor>> state_tensors() const = 0;
  virtual nlohmann::json state_json() const = 0;
  // InputError naming the missing entry when the state does not fit.
  virtual void load_state(const std::map<std::string, torch::Tensor>& tensors,
                          const nlohmann::json& scalars) = 0;

 protected:
  std::vector<NamedParam> params_;
};

// Scales gradients in place so their global L2 norm is at most max_norm
// (as torch: coef = max_norm / (norm + 1e-6), clamped to 1); returns the
// norm before clipping. max_norm <= 0 only measures.
double clip_grad_norm(const std::vector<NamedParam>& params, double max_norm);

}  // namespace traitlab
