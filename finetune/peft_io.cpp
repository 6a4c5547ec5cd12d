#include "finetune/peft_io.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/io/safetensors.h"
#include "core/model/family.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "finetune/atomic_file.h"

namespace traitlab {

namespace fs = std::filesystem;

namespace {
constexpr const char* kPrefix = "base_model.model.";
}

std::map<std::string, std::string> hf_module_names(const ModelConfig& cfg) {
  std::map<std::string, std::string> out;
  for (const WeightSpec& s : hf_weight_specs(cfg)) {
    if (s.params.size() != 1 || s.transpose) continue;
    const std::string& p = s.params[0];
    const std::string suffix = ".weight";
    if (p.size() <= suffix.size() || p.compare(p.size() - suffix.size(), suffix.size(), suffix))
      continue;
    out[p.substr(0, p.size() - suffix.size())] = s.hf_name.substr(0, s.hf_name.size() - 7);
  }
  return out;
}

namespace {

std::string hf_module(const ModelConfig& cfg, const std::string& module) {
  const auto names = hf_module_names(cfg);
  auto it = names.find(module);
  if (it == names.end())
    throw UnsupportedError(str("PEFT adapters: the ", family_name(cfg.family), " projection '",
                               module, "' has no single Hugging Face linear (use --full)"));
  return it->second;
}

}  // namespace

void save_peft_adapter(const LoraModel& lora, const std::string& dir,
                       const std::string& base_model_name_or_path) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(str(dir, ": cannot create directory: ", ec.message()));
  LoraModel& l = const_cast<LoraModel&>(lora);
  const ModelConfig& cfg = l.model()->config();
  const LoraConfig& c = lora.config();
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const std::string& m : lora.modules()) {
    const std::string base = kPrefix + hf_module(cfg, m);
    tensors.emplace_back(base + ".lora_A.weight", lora.lora_a(m).detach().cpu());
    tensors.emplace_back(base + ".lora_B.weight", lora.lora_b(m).detach().cpu());
  }
  save_safetensors((fs::path(dir) / "adapter_model.safetensors").string(), tensors,
                   {{"format", "pt"}});
  nlohmann::json j = {
      {"peft_type", "LORA"},
      {"task_type", "CAUSAL_LM"},
      {"base_model_name_or_path", base_model_name_or_path},
      {"r", c.r},
      {"lora_alpha", c.alpha},
      {"lora_dropout", c.dropout},
      {"target_modules", c.targets},
      {"use_rslora", c.rslora},
      {"bias", "none"},
      {"fan_in_fan_out", false},
      {"use_dora", false},
      {"init_lora_weights", true},
      {"inference_mode", true},
      {"modules_to_save", nullptr},
      {"rank_pattern", nlohmann::json::object()},
      {"alpha_pattern", nlohmann::json::object()},
  };
  if (c.alpha == std::floor(c.alpha)) j["lora_alpha"] = static_cast<int64_t>(c.alpha);
  if (c.targets.size() == 1 && c.targets[0] == "all-linear") j["target_modules"] = "all-linear";
  write_file_atomic((fs::path(dir) / "adapter_config.json").string(), j.dump(2) + "\n");
}

LoraConfig read_peft_config(const std::string& dir) {
  const std::string path = (fs::path(dir) / "adapter_config.json").string();
  check_input(fs::is_regular_file(path), path, ": missing (a PEFT adapter directory has one)");
  const nlohmann::json j = read_json_file(path);
  const std::string type = get_field<std::string>(j, "peft_type", path);
  if (type != "LORA")
    throw UnsupportedError(
        str(path, ": key 'peft_type': '", type, "' is not supported (only LORA)"));
  LoraConfig c;
  c.r = get_field<int64_t>(j, "r", path);
  check_input(c.r > 0, path, ": key 'r': must be positive");
  c.alpha = get_field_or<double>(j, "lora_alpha", 8.0, path);
  c.dropout = get_field_or<double>(j, "lora_dropout", 0.0, path);
  c.rslora = get_field_or<bool>(j, "use_rslora", false, path);
  auto unsupported_if = [&](bool bad, const std::string& key) {
    if (bad)
      throw UnsupportedError(
          str(path, ": key '", key, "': ", j[key].dump(), " is not supported by traitlab"));
  };
  unsupported_if(get_field_or<bool>(j, "use_dora", false, path), "use_dora");
  unsupported_if(get_field_or<bool>(j, "fan_in_fan_out", false, path), "fan_in_fan_out");
  unsupported_if(get_field_or<std::string>(j, "bias", "none", path) != "none", "bias");
  for (const char* k : {"rank_pattern", "alpha_pattern"})
    unsupported_if(j.contains(k) && !j[k].is_null() && !j[k].empty(), k);
  unsupported_if(j.contains("modules_to_save") && !j["modules_to_save"].is_null() &&
                     !j["modules_to_save"].empty(),
                 "modules_to_save");
  const auto& t = j.contains("target_modules") ? j["target_modules"] : nlohmann::json();
  c.targets.clear();
  if (t.is_string()) {
    c.targets.push_back(t.get<std::string>());
  } else if (t.is_array()) {
    for (const auto& x : t) {
      check_input(x.is_string(), path, ": key 'target_modules': expected strings");
      c.targets.push_back(x.get<std::string>());
    }
  }
  return c;
}

std::unique_ptr<LoraModel> load_peft_adapter(DecoderModel model, const std::string& dir) {
  const LoraConfig cfg = read_peft_config(dir);
  const std::string path = (fs::path(dir) / "adapter_model.safetensors").string();
  check_input(fs::is_regular_file(path), path, ": missing (the adapter weights)");
  const SafetensorsFile file = SafetensorsFile::open(path);
  std::map<std::string, std::string> by_hf;  // HF module -> internal
  for (const auto& [internal, hf] : hf_module_names(model->config())) by_hf[hf] = internal;
  std::map<std::string, std::pair<torch::Tensor, torch::Tensor>> w;
  const std::string pre = kPrefix;
  for (const TensorEntry& e : file.entries()) {
    const std::string& n = e.name;
    const bool is_a = n.size() > 14 && n.compare(n.size() - 14, 14, ".lora_A.weight") == 0;
    const bool is_b = n.size() > 14 && n.compare(n.size() - 14, 14, ".lora_B.weight") == 0;
    check_input(n.rfind(pre, 0) == 0 && (is_a || is_b), path, ": tensor '", n,
                "' is not a LoRA weight (base_model.model.<module>.lora_[AB].weight)");
    const std::string hf = n.substr(pre.size(), n.size() - pre.size() - 14);
    auto it = by_hf.find(hf);
    check_input(it != by_hf.end(), path, ": tensor '", n, "': module '", hf,
                "' does not exist in the base model");
    (is_a ? w[it->second].first : w[it->second].second) = file.load(n).to(torch::kFloat32);
  }
  for (const auto& [m, ab] : w)
    check_input(ab.first.defined() && ab.second.defined(), path, ": module '", m,
                "' has only one of lora_A / lora_B");
  return std::make_unique<LoraModel>(std::move(model), cfg, w);
}

}  // namespace traitlab
