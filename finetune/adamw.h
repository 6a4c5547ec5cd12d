#pragma once
// AdamW exactly as torch.optim.AdamW's single-tensor CPU path computes it
// (decoupled decay before the moment update, bias corrections applied as
// step_size = lr / (1 - beta1^t) and denom = sqrt(v) / sqrt(1 - beta2^t) + eps).
#include "finetune/optimizer.h"

namespace traitlab {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;  // applied to params with decay = true
};

class AdamW : public Optimizer {
 public:
  AdamW(std::vector<NamedParam> params, const AdamWOptions& opts);
  void step(double lr) override;
  std::vector<std::pair<std::string, torch::Tensor>> state_tensors() const override;
  nlohmann::json state_json() const override;
  void load_state(const std::map<std::string, torch::Tensor>& tensors,
                  const nlohmann::json& scalars) override;

  const torch::Tensor& exp_avg(size_t i) const { return m_[i]; }
  const torch::Tensor& exp_avg_sq(size_t i) const { return v_[i]; }

 private:
  AdamWOptions o_;
  std::vector<torch::Tensor> m_, v_;
  std::vector<int64_t> steps_;
};

}  // namespace traitlab
