#pragma once
// GaLore (Zhao et al. 2024): Adam on a low-rank projection of each 2-D
// weight's gradient, following the official galore_torch GaLoreAdamW:
//   G [m, n]: if m >= n, P = the top-r right singular vectors (Vh[:r], [r, n])
//             and R = G P^T [m, r]; else P = U[:, :r] ([m, r]) and R = P^T G.
//   P is recomputed by SVD of the current gradient when the parameter's
//   number of previous steps is a multiple of update_interval (so at its
//   first step); the Adam moments are kept across refreshes.
//   Adam on R (transformers-style: denom = sqrt(v) + eps, step_size =
//   lr sqrt(1 - beta2^t) / (1 - beta1^t)); the normalised update N = m / denom
//   goes back as N P (or P N) times `scale`; then decoupled weight decay
//   p -= lr * wd * p (after the update, as galore_torch does).
// Parameters without `galore` (embeddings, norms, biases) get the same Adam
// without projection.
#include "finetune/optimizer.h"

namespace traitlab {

struct GaLoreOptions {
  int64_t rank = 8;
  int64_t update_interval = 200;
  double scale = 0.25;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-6;
  double weight_decay = 0.0;
};

class GaLoreProjector {
 public:
  GaLoreProjector(int64_t rank, int64_t update_interval, double scale)
      : rank_(rank), interval_(update_interval), scale_(scale) {}
  // `prior_steps`: how many updates the parameter has had before this one.
  torch::Tensor project(const torch::Tensor& grad, int64_t prior_steps);
  torch::Tensor project_back(const torch::Tensor& low_rank) const;
  const torch::Tensor& ortho() const { return ortho_; }
  void set_ortho(torch::Tensor p) { ortho_ = std::move(p); }
  bool right() const { return right_; }

 private:
  int64_t rank_, interval_;
  double scale_;
  bool right_ = true;
  torch::Tensor ortho_;
};

class GaLoreAdamW : public Optimizer {
 public:
  GaLoreAdamW(std::vector<NamedParam> params, const GaLoreOptions& opts);
  void step(double lr) override;
  std::vector<std::pair<std::string, torch::Tensor>> state_tensors() const override;
  nlohmann::json state_json() const override;
  void load_state(const std::map<std::string, torch::Tensor>& tensors,
                  const nlohmann::json& scalars) override;

 private:
  GaLoreOptions o_;
  std::vector<torch::Tensor> m_, v_;
  std::vector<int64_t> steps_;
  std::vector<std::unique_ptr<GaLoreProjector>> proj_;
};

}  // namespace traitlab
