// Moving weights between DecoderModel and Hugging Face checkpoints, and
// random initialisation. The name/layout translation is family.cpp's
// WeightSpec list; this file only applies it.
#include "core/model/model_io.h"

#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/model/family.h"
#include "core/model/shape_str.h"
#include "core/util/device.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

std::map<std::string, torch::Tensor> params_by_name(const torch::nn::Module& m) {
  std::map<std::string, torch::Tensor> out;
  for (const auto& item : m.named_parameters()) out[item.key()] = item.value();
  return out;
}

// What to name in errors: the single weights file, or the shard index.
std::string source_name(const WeightSource& src) {
  auto files = src.files();
  if (files.size() == 1) return files[0];
  if (files.empty()) return "weights";
  return (std::filesystem::path(files[0]).parent_path() / "model.safetensors.index.json").string();
}

// gpt2 checkpoints come with ("transformer.h.0...", from save_pretrained)
// or without ("h.0...", the original OpenAI upload) the module prefix.
std::string gpt2_prefix_fix(const ModelConfig& cfg, const WeightSource& src,
                            const std::string& name) {
  const std::string prefix = "transformer.";
  if (cfg.family != Family::Gpt2 || name.compare(0, prefix.size(), prefix) != 0) return name;
  if (src.has(name)) return name;
  const std::string bare = name.substr(prefix.size());
  return src.has(bare) ? bare : name;
}

// LibTorch 1.13 has no float16 matrix product on the CPU (2.x does); ask
// the library instead of checking version numbers.
void check_dtype_runs(torch::Device device, torch::ScalarType dtype) {
  check_input(dtype == torch::kFloat32 || dtype == torch::kBFloat16 || dtype == torch::kFloat16 ||
                  dtype == torch::kFloat64,
              "model dtype ", dtype_name(dtype), ": expected float32, bfloat16 or float16");
  if (!device.is_cpu() || dtype != torch::kFloat16) return;
  static const bool half_matmul = [] {
    try {
      auto x = torch::ones({2, 2}, torch::kFloat16);
      torch::matmul(x, x);
      return true;
    } catch (const c10::Error&) {
      return false;
    }
  }();
  if (!half_matmul) {
    throw UnsupportedError(
        "dtype float16: this LibTorch cannot multiply float16 matrices on the CPU; use bfloat16 "
        "or float32 on the CPU, or float16 on a CUDA device");
  }
}

}  // namespace

std::vector<std::pair<std::string, torch::Tensor>> DecoderModelImpl::hf_state_dict() const {
  auto params = params_by_name(*this);
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const WeightSpec& spec : hf_weight_specs(cfg_)) {
    std::vector<torch::Tensor> parts;
    for (const auto& p : spec.params) parts.push_back(params.at(p).detach());
    torch::Tensor t = parts.size() == 1 ? parts[0] : torch::cat(parts, 0);
    if (spec.transpose) t = t.t().contiguous();
    out.emplace_back(spec.hf_name, t);
  }
  return out;
}

void DecoderModelImpl::load_hf_weights(const WeightSource& src) {
  torch::NoGradGuard no_grad;
  const std::string where = source_name(src);
  auto params = params_by_name(*this);
  std::set<std::string> used;
  for (const WeightSpec& spec : hf_weight_specs(cfg_)) {
    const std::string name = gpt2_prefix_fix(cfg_, src, spec.hf_name);
    check_input(src.has(name), where, ": missing tensor '", spec.hf_name, "' (expected shape ",
                shape_str(spec.hf_shape), ") for a ", cfg_.model_type, " model");
    const TensorEntry& info = src.info(name);
    check_input(info.shape == spec.hf_shape, where, ": tensor '", name, "' has shape ",
                shape_str(info.shape), ", expected ", shape_str(spec.hf_shape));
    used.insert(name);
    torch::Tensor t = src.load(name);
    check_input(t.is_floating_point(), where, ": tensor '", name, "' has non-float dtype ",
                info.dtype);
    if (spec.transpose) t = t.t();
    int64_t row = 0;
    for (const auto& pname : spec.params) {
      torch::Tensor& p = params.at(pname);
      p.copy_(t.narrow(0, row, p.size(0)));
      row += p.size(0);
    }
  }
  // Extra tensors mean the checkpoint is not the architecture config.json
  // describes (e.g. a Qwen3 with q_norm labelled qwen2); running it anyway
  // would silently give wrong outputs, so only known buffers are skipped.
  for (const auto& name : src.names()) {
    if (used.count(name) || is_ignorable_tensor(cfg_, name)) continue;
    throw InputError(str(where, ": unexpected tensor '", name, "' for a ", cfg_.model_type,
                         " model with ", cfg_.n_layer,
                         " layers (does config.json describe this checkpoint?)"));
  }
}

DecoderModel init_random_model(const ModelConfig& cfg, uint64_t seed) {
  DecoderModel model(cfg);
  const double norm_fill = 1.0 - family_spec(cfg).norm_weight_offset;  // effective scale 1
  torch::NoGradGuard no_grad;
  auto gen = at::detail::createCPUGenerator(seed);
  for (const auto& item : model->named_parameters()) {
    const std::string& name = item.key();
    torch::Tensor p = item.value();
    const bool is_bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
    const bool is_norm = name.find("norm.") != std::string::npos;
    if (is_bias) {
      p.zero_();
    } else if (is_norm) {
      p.fill_(norm_fill);
    } else {
      p.normal_(0.0, 0.02, gen);
    }
  }
  model->set_trainable(false);
  model->eval();
  return model;
}

DecoderModel load_model(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
  check_dtype_runs(device, dtype);
  ModelConfig cfg = ModelConfig::load((std::filesystem::path(dir) / "config.json").string());
  return load_model_from(cfg, WeightSource::open_dir(dir), device, dtype);
}

DecoderModel load_model_from(const ModelConfig& cfg, const WeightSource& src, torch::Device device,
                             torch::ScalarType dtype) {
  check_dtype_runs(device, dtype);
  DecoderModel model(cfg, torch::TensorOptions().dtype(dtype).device(device));
  model->load_hf_weights(src);
  model->set_trainable(false);
  model->eval();
  return model;
}

void save_model(DecoderModel& model, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(str(dir, ": cannot create directory: ", ec.message()));
  ModelConfig cfg = model->config();
  cfg.torch_dtype = dtype_name(model->dtype());
  const std::string config_path = (std::filesystem::path(dir) / "config.json").string();
  {
    std::ofstream out(config_path);
    out << cfg.to_json().dump(2) << "\n";
    if (!out) throw IoError(str(config_path, ": cannot write"));
  }
  save_safetensors((std::filesystem::path(dir) / "model.safetensors").string(),
                   model->hf_state_dict(), {{"format", "pt"}});
}

}  // namespace traitlab
