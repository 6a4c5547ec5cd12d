#include "finetune/optimizer.h"

namespace traitlab {

bool hf_decays(const std::string& name) {
  for (const char* pat : {"bias", "layernorm", "rmsnorm", "_norm"})
    if (name.find(pat) != std::string::npos) return false;
  if (name == "norm" || name.rfind("norm.", 0) == 0 || name.find(".norm.") != std::string::npos ||
      (name.size() >= 5 && name.compare(name.size() - 5, 5, ".norm") == 0))
    return false;
  return true;
}

void Optimizer::zero_grad() {
  for (auto& p : params_) {
    torch::Tensor& g = p.param.mutable_grad();
    if (g.defined()) g = torch::Tensor();
  }
}

double clip_grad_norm(const std::vector<NamedParam>& params, double max_norm) {
  std::vector<torch::Tensor> norms;
  for (const auto& p : params)
    if (p.param.grad().defined())
      norms.push_back(torch::linalg::vector_norm(p.param.grad(), 2, {}, false, {}));
  if (norms.empty()) return 0.0;
  const torch::Tensor total = torch::linalg::vector_norm(torch::stack(norms), 2, {}, false, {});
  if (max_norm > 0) {
    const torch::Tensor coef = torch::clamp_max(max_norm / (total + 1e-6), 1.0);
    torch::NoGradGuard ng;
    for (const auto& p : params)
      if (p.param.grad().defined()) p.param.mutable_grad().mul_(coef);
  }
  return total.item<double>();
}

}  // namespace traitlab
