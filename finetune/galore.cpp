#include "finetune/galore.h"

#include <cmath>

#include "core/util/error.h"

namespace traitlab {

namespace {
// galore_torch runs the SVD in float32 for low-precision weights; float64
// stays float64 (tests use it to compare at 1e-10).
torch::Tensor svd_input(const torch::Tensor& g) {
  return g.scalar_type() == torch::kFloat64 ? g : g.to(torch::kFloat32);
}
}  // namespace

torch::Tensor GaLoreProjector::project(const torch::Tensor& grad, int64_t prior_steps) {
  TORCH_INTERNAL_ASSERT(grad.dim() == 2, "GaLore projects 2-D gradients only");
  right_ = grad.size(0) >= grad.size(1);
  if (!ortho_.defined() || prior_steps % interval_ == 0) {
    auto [u, s, vh] = torch::linalg::svd(svd_input(grad), /*full_matrices=*/false, {});
    ortho_ = right_ ? vh.slice(0, 0, rank_).contiguous() : u.slice(1, 0, rank_).contiguous();
    ortho_ = ortho_.to(grad.scalar_type());
  }
  return right_ ? torch::matmul(grad, ortho_.t()) : torch::matmul(ortho_.t(), grad);
}

torch::Tensor GaLoreProjector::project_back(const torch::Tensor& low_rank) const {
  const torch::Tensor full =
      right_ ? torch::matmul(low_rank, ortho_) : torch::matmul(ortho_, low_rank);
  return full * scale_;
}

GaLoreAdamW::GaLoreAdamW(std::vector<NamedParam> params, const GaLoreOptions& opts) : o_(opts) {
  check_input(opts.rank > 0, "--galore-rank: must be positive, got ", opts.rank);
  check_input(opts.update_interval > 0, "--galore-update-interval: must be positive, got ",
              opts.update_interval);
  params_ = std::move(params);
  for (auto& p : params_) {
    if (p.galore && p.param.dim() != 2) p.galore = false;
    m_.emplace_back();
    v_.emplace_back();
    steps_.push_back(0);
    proj_.push_back(
        p.galore ? std::make_unique<GaLoreProjector>(opts.rank, opts.update_interval, opts.scale)
                 : nullptr);
  }
}

void GaLoreAdamW::step(double lr) {
  torch::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor p = params_[i].param;
    if (!p.grad().defined()) continue;
    torch::Tensor g = p.grad();
    if (proj_[i]) g = proj_[i]->project(g, steps_[i]);
    if (!m_[i].defined()) {
      m_[i] = torch::zeros_like(g);
      v_[i] = torch::zeros_like(g);
    }
    const int64_t t = ++steps_[i];
    m_[i].mul_(o_.beta1).add_(g, 1 - o_.beta1);
    v_[i].mul_(o_.beta2).addcmul_(g, g, 1 - o_.beta2);
    const torch::Tensor denom = v_[i].sqrt().add_(o_.eps);
    const double bc1 = 1 - std::pow(o_.beta1, static_cast<double>(t));
    const double bc2 = 1 - std::pow(o_.beta2, static_cast<double>(t));
    const double step_size = lr * std::sqrt(bc2) / bc1;
    torch::Tensor update = m_[i] / denom;
    if (proj_[i]) update = proj_[i]->project_back(update);
    p.add_(update, -step_size);
    const double wd = params_[i].decay ? o_.weight_decay : 0.0;
    if (wd > 0) p.add_(p, -lr * wd);
  }
}

std::vector<std::pair<std::string, torch::Tensor>> GaLoreAdamW::state_tensors() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!m_[i].defined()) continue;
    out.emplace_back(params_[i].name + ".exp_avg", m_[i]);
    out.emplace_back(params_[i].name + ".exp_avg_sq", v_[i]);
    if (proj_[i] && proj_[i]->ortho().defined())
      out.emplace_back(params_[i].name + ".galore_ortho", proj_[i]->ortho());
  }
  return out;
}

nlohmann::json GaLoreAdamW::state_json() const {
  nlohmann::json steps = nlohmann::json::object();
  for (size_t i = 0; i < params_.size(); ++i) steps[params_[i].name] = steps_[i];
  return {{"type", "galore_adamw"}, {"steps", steps}};
}

void GaLoreAdamW::load_state(const std::map<std::string, torch::Tensor>& tensors,
                             const nlohmann::json& scalars) {
  check_input(scalars.value("type", "") == "galore_adamw",
              "optimizer state: not a GaLore AdamW state");
  for (size_t i = 0; i < params_.size(); ++i) {
    const std::string& n = params_[i].name;
    check_input(scalars.contains("steps") && scalars["steps"].contains(n),
                "optimizer state: no step count for '", n, "'");
    steps_[i] = scalars["steps"][n].get<int64_t>();
    if (steps_[i] == 0) continue;
    auto get = [&](const std::string& slot) {
      auto it = tensors.find(n + slot);
      check_input(it != tensors.end(), "optimizer state: missing '", n, slot, "'");
      return it->second.clone();
    };
    m_[i] = get(".exp_avg");
    v_[i] = get(".exp_avg_sq");
    if (proj_[i]) proj_[i]->set_ortho(get(".galore_ortho"));
  }
}

}  // namespace traitlab
