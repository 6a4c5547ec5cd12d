#include "finetune/adamw.h"

#include <cmath>

#include "core/util/error.h"

namespace traitlab {

AdamW::AdamW(std::vector<NamedParam> params, const AdamWOptions& opts) : o_(opts) {
  params_ = std::move(params);
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p.param).detach());
    v_.push_back(torch::zeros_like(p.param).detach());
    steps_.push_back(0);
  }
}

void AdamW::step(double lr) {
  torch::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    torch::Tensor p = params_[i].param;
    const torch::Tensor& g = p.grad();
    if (!g.defined()) continue;  // torch skips parameters without gradients
    const int64_t t = ++steps_[i];
    const double wd = params_[i].decay ? o_.weight_decay : 0.0;
    if (wd != 0) p.mul_(1 - lr * wd);
    m_[i].lerp_(g, 1 - o_.beta1);
    v_[i].mul_(o_.beta2).addcmul_(g, g, 1 - o_.beta2);
    const double bc1 = 1 - std::pow(o_.beta1, static_cast<double>(t));
    const double bc2 = 1 - std::pow(o_.beta2, static_cast<double>(t));
    const double step_size = lr / bc1;
    const torch::Tensor denom = (v_[i].sqrt() / std::sqrt(bc2)).add_(o_.eps);
    p.addcdiv_(m_[i], denom, -step_size);
  }
}

std::vector<std::pair<std::string, torch::Tensor>> AdamW::state_tensors() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back(params_[i].name + ".exp_avg", m_[i]);
    out.emplace_back(params_[i].name + ".exp_avg_sq", v_[i]);
  }
  return out;
}

nlohmann::json AdamW::state_json() const {
  nlohmann::json steps = nlohmann::json::object();
  for (size_t i = 0; i < params_.size(); ++i) steps[params_[i].name] = steps_[i];
  return {{"type", "adamw"}, {"steps", steps}};
}

void AdamW::load_state(const std::map<std::string, torch::Tensor>& tensors,
                       const nlohmann::json& scalars) {
  check_input(scalars.value("type", "") == "adamw", "optimizer state: not an AdamW state");
  torch::NoGradGuard ng;
  for (size_t i = 0; i < params_.size(); ++i) {
    const std::string& n = params_[i].name;
    for (auto [slot, dst] : {std::pair{".exp_avg", &m_[i]}, std::pair{".exp_avg_sq", &v_[i]}}) {
      auto it = tensors.find(n + slot);
      check_input(it != tensors.end() && it->second.sizes() == dst->sizes(),
                  "optimizer state: missing or mis-shaped '", n, slot, "'");
      dst->copy_(it->second);
    }
    check_input(scalars.contains("steps") && scalars["steps"].contains(n),
                "optimizer state: no step count for '", n, "'");
    steps_[i] = scalars["steps"][n].get<int64_t>();
  }
}

}  // namespace traitlab
