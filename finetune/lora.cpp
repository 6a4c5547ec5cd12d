#include "finetune/lora.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/model/shape_str.h"
#include "core/util/error.h"

namespace traitlab {

struct LoraModel::State {
  double scaling = 1.0;
  double dropout = 0.0;
  bool training = false;
};

double LoraConfig::scaling() const {
  return rslora ? alpha / std::sqrt(static_cast<double>(r)) : alpha / static_cast<double>(r);
}

namespace {

bool suffix_match(const std::string& name, const std::string& target) {
  if (name == target) return true;
  return name.size() > target.size() &&
         name.compare(name.size() - target.size(), target.size(), target) == 0 &&
         name[name.size() - target.size() - 1] == '.';
}

torch::Tensor weight_of(DecoderModel& model, const std::string& module) {
  const auto params = model->named_parameters();
  const torch::Tensor* w = params.find(module + ".weight");
  TORCH_INTERNAL_ASSERT(w, "no weight for projection ", module);
  return *w;
}

}  // namespace

std::vector<std::string> match_lora_targets(const std::vector<std::string>& projections,
                                            const std::vector<std::string>& targets) {
  check_input(!targets.empty(), "--lora-targets: no target modules given");
  std::set<std::string> chosen;
  for (const std::string& t : targets) {
    bool any = false;
    for (const std::string& p : projections) {
      const bool hit = t == "all-linear" ? p != "lm_head" : suffix_match(p, t);
      if (hit) {
        chosen.insert(p);
        any = true;
      }
    }
    if (!any) {
      std::set<std::string> shorts;
      for (const std::string& p : projections) shorts.insert(p.substr(p.rfind('.') + 1));
      std::string valid;
      for (const auto& s : shorts) valid += (valid.empty() ? "" : ", ") + s;
      throw InputError(str("--lora-targets: '", t,
                           "' matches no module of this model; valid: ", valid,
                           ", all-linear (or a longer suffix such as layers.0.mlp.up_proj)"));
    }
  }
  return {chosen.begin(), chosen.end()};
}

LoraModel::LoraModel(DecoderModel model, const LoraConfig& cfg, uint64_t seed)
    : model_(std::move(model)), cfg_(cfg), state_(std::make_shared<State>()) {
  check_input(cfg.r > 0, "--lora-rank: must be positive, got ", cfg.r);
  auto gen = at::detail::createCPUGenerator(seed);
  std::map<std::string, std::pair<torch::Tensor, torch::Tensor>> w;
  for (const std::string& m : match_lora_targets(model_->projection_names(), cfg.targets)) {
    const torch::Tensor base = weight_of(model_, m);
    const int64_t out = base.size(0), in = base.size(1);
    const double bound = 1.0 / std::sqrt(static_cast<double>(in));
    torch::Tensor a = torch::empty({cfg.r, in}, torch::kFloat32);
    a.uniform_(-bound, bound, gen);
    w[m] = {a.to(base.device()), torch::zeros({out, cfg.r}, base.options().dtype(torch::kFloat32))};
  }
  install(w);
}

LoraModel::LoraModel(DecoderModel model, const LoraConfig& cfg,
                     const std::map<std::string, std::pair<torch::Tensor, torch::Tensor>>& weights)
    : model_(std::move(model)), cfg_(cfg), state_(std::make_shared<State>()) {
  check_input(!weights.empty(), "LoRA adapter: no adapter weights");
  const auto names = model_->projection_names();
  std::map<std::string, std::pair<torch::Tensor, torch::Tensor>> w;
  for (const auto& [m, ab] : weights) {
    check_input(std::find(names.begin(), names.end(), m) != names.end(), "LoRA adapter: module '",
                m, "' does not exist in this model");
    const torch::Tensor base = weight_of(model_, m);
    const auto& [a, b] = ab;
    check_input(a.dim() == 2 && b.dim() == 2 && a.size(0) == cfg.r && b.size(1) == cfg.r &&
                    a.size(1) == base.size(1) && b.size(0) == base.size(0),
                "LoRA adapter: module '", m, "': lora_A ", shape_str(a.sizes()), " / lora_B ",
                shape_str(b.sizes()), " do not fit r=", cfg.r, " and weight ",
                shape_str(base.sizes()));
    w[m] = {a.to(base.device(), torch::kFloat32).clone(),
            b.to(base.device(), torch::kFloat32).clone()};
  }
  install(w);
  // A non-zero adapter is part of the starting model: keep it as the reference.
  bool all_zero = true;
  for (const auto& [m, ab] : w_) all_zero = all_zero && ab.second.eq(0).all().item<bool>();
  if (!all_zero)
    for (const auto& [m, ab] : w_) ref_[m] = {ab.first.clone(), ab.second.clone()};
}

LoraModel::~LoraModel() {
  if (!merged_ && model_) model_->clear_adapters();
}

void LoraModel::install(const std::map<std::string, std::pair<torch::Tensor, torch::Tensor>>& w) {
  state_->scaling = cfg_.scaling();
  state_->dropout = cfg_.dropout;
  w_ = w;
  for (auto& [m, ab] : w_) {
    ab.first.requires_grad_(true);
    ab.second.requires_grad_(true);
  }
  set_mode(Mode::Train);
}

void LoraModel::set_mode(Mode mode) {
  TORCH_CHECK(!merged_, "LoRA: adapters were merged into the base model");
  mode_ = mode;
  model_->clear_adapters();
  const auto& src = mode == Mode::Reference && !ref_.empty() ? ref_ : w_;
  if (mode == Mode::Off || (mode == Mode::Reference && ref_.empty())) return;
  const bool train = mode == Mode::Train;
  for (const auto& [m, ab] : src) {
    torch::Tensor a = ab.first, b = ab.second;
    std::shared_ptr<State> st = state_;
    model_->set_adapter(m, [a, b, st, train](const torch::Tensor& x) {
      torch::Tensor h = x.to(a.scalar_type());
      if (train && st->training && st->dropout > 0) h = torch::dropout(h, st->dropout, true);
      h = torch::nn::functional::linear(torch::nn::functional::linear(h, a), b);
      return (h * st->scaling).to(x.scalar_type());
    });
  }
}

void LoraModel::set_training(bool training) { state_->training = training; }

std::vector<std::string> LoraModel::modules() const {
  std::vector<std::string> out;
  for (const auto& [m, ab] : w_) out.push_back(m);
  return out;
}

const torch::Tensor& LoraModel::lora_a(const std::string& module) const {
  auto it = w_.find(module);
  check_input(it != w_.end(), "LoRA: no adapter on '", module, "'");
  return it->second.first;
}

const torch::Tensor& LoraModel::lora_b(const std::string& module) const {
  auto it = w_.find(module);
  check_input(it != w_.end(), "LoRA: no adapter on '", module, "'");
  return it->second.second;
}

std::vector<std::pair<std::string, torch::Tensor>> LoraModel::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& [m, ab] : w_) {
    out.emplace_back(m + ".lora_A", ab.first);
    out.emplace_back(m + ".lora_B", ab.second);
  }
  return out;
}

void LoraModel::merge_into_base() {
  TORCH_CHECK(!merged_, "LoRA: adapters were already merged");
  model_->clear_adapters();
  torch::NoGradGuard ng;
  for (const auto& [m, ab] : w_) {
    torch::Tensor w = weight_of(model_, m);
    const torch::Tensor delta = torch::matmul(ab.second, ab.first) * cfg_.scaling();
    w.copy_((w.to(torch::kFloat32) + delta).to(w.scalar_type()));
  }
  merged_ = true;
}

}  // namespace traitlab
