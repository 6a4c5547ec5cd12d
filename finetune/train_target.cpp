#include "finetune/train_target.h"

#include <filesystem>

#include "core/io/safetensors.h"
#include "core/model/shape_str.h"
#include "core/util/error.h"
#include "finetune/objectives.h"
#include "finetune/peft_io.h"

namespace traitlab {

namespace fs = std::filesystem;

LoraTarget::LoraTarget(std::unique_ptr<LoraModel> lora, std::string base_name)
    : lora_(std::move(lora)), base_name_(std::move(base_name)) {
  lora_->model()->set_trainable(false);
}

std::vector<NamedParam> LoraTarget::trainable() {
  std::vector<NamedParam> out;
  for (auto& [name, t] : lora_->named_parameters()) out.push_back({name, t, true, false});
  return out;
}

torch::Tensor LoraTarget::reference_logps(const TokenBatch& batch) {
  torch::NoGradGuard ng;
  lora_->set_mode(LoraModel::Mode::Reference);
  torch::Tensor r;
  try {
    r = sequence_logps(lora_->model(), batch);
  } catch (...) {
    lora_->set_mode(LoraModel::Mode::Train);
    throw;
  }
  lora_->set_mode(LoraModel::Mode::Train);
  return r;
}

void LoraTarget::set_training(bool training) {
  lora_->set_training(training);
  lora_->model()->train(training);
}

void LoraTarget::save(const std::string& dir) const { save_peft_adapter(*lora_, dir, base_name_); }

void LoraTarget::load(const std::string& dir) {
  const std::string path = (fs::path(dir) / "adapter_model.safetensors").string();
  const SafetensorsFile f = SafetensorsFile::open(path);
  const auto hf = hf_module_names(lora_->model()->config());
  torch::NoGradGuard ng;
  for (const std::string& m : lora_->modules()) {
    const std::string base = "base_model.model." + hf.at(m);
    for (auto [suffix, dst] : {std::pair{".lora_A.weight", lora_->lora_a(m)},
                               std::pair{".lora_B.weight", lora_->lora_b(m)}}) {
      check_input(f.find(base + suffix) != nullptr, path, ": missing tensor '", base, suffix, "'");
      const torch::Tensor t = f.load(base + suffix);
      check_input(t.sizes() == dst.sizes(), path, ": tensor '", base, suffix, "' has shape ",
                  shape_str(t.sizes()), ", the adapter ", shape_str(dst.sizes()));
      torch::Tensor d = dst;
      d.copy_(t);
    }
  }
}

DecoderModel clone_model(DecoderModel& model) {
  DecoderModel copy(model->config(),
                    torch::TensorOptions().dtype(model->dtype()).device(model->device()));
  torch::NoGradGuard ng;
  auto src = model->named_parameters();
  for (auto& p : copy->named_parameters()) p.value().copy_(src[p.key()]);
  return copy;
}

FullTarget::FullTarget(DecoderModel model, bool with_reference) : model_(std::move(model)) {
  if (with_reference) {
    ref_ = clone_model(model_);
    ref_->set_trainable(false);
    ref_->eval();
  }
  model_->set_trainable(true);
}

std::vector<NamedParam> FullTarget::trainable() {
  std::vector<NamedParam> out;
  for (auto& p : model_->named_parameters()) {
    const std::string& n = p.key();
    // GaLore projects the 2-D weights of attention and MLP projections.
    const bool galore =
        p.value().dim() == 2 && n.rfind("layers.", 0) == 0 &&
        (n.find(".self_attn.") != std::string::npos || n.find(".mlp.") != std::string::npos);
    out.push_back({n, p.value(), hf_decays(n), galore});
  }
  return out;
}

torch::Tensor FullTarget::reference_logps(const TokenBatch& batch) {
  check_input(static_cast<bool>(ref_), "DPO: this full fine-tuning target keeps no reference");
  torch::NoGradGuard ng;
  return sequence_logps(ref_, batch);
}

void FullTarget::set_training(bool training) { model_->train(training); }

void FullTarget::save(const std::string& dir) const {
  DecoderModel m = model_;
  save_model(m, dir);
}

void FullTarget::load(const std::string& dir) {
  model_->load_hf_weights(WeightSource::open_dir(dir));
}

}  // namespace traitlab
