#pragma once
// LoRA adapters in PEFT's on-disk format, so adapters move both ways between
// traitlab and PEFT/transformers:
//   adapter_config.json        peft_type "LORA", r, lora_alpha, lora_dropout,
//                              target_modules, use_rslora, bias "none", task_type, ...
//   adapter_model.safetensors  base_model.model.<HF module>.lora_A.weight [r, in]
//                              base_model.model.<HF module>.lora_B.weight [out, r]
// <HF module> is the module's Hugging Face name ("model.layers.0.self_attn.q_proj").
// Families whose projections are not single HF linears (gpt2's fused
// c_attn Conv1D) are an UnsupportedError.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "finetune/lora.h"

namespace traitlab {

// Internal projection name -> HF module name, for every projection of the model.
std::map<std::string, std::string> hf_module_names(const ModelConfig& cfg);

// Writes adapter_config.json and adapter_model.safetensors into dir (each
// through a temporary file and a rename).
void save_peft_adapter(const LoraModel& lora, const std::string& dir,
                       const std::string& base_model_name_or_path);

// Reads config and weights; the config's fields PEFT would use but traitlab
// does not implement (DoRA, rank/alpha patterns, fan_in_fan_out, biases) are
// UnsupportedErrors naming the key.
LoraConfig read_peft_config(const std::string& dir);
std::unique_ptr<LoraModel> load_peft_adapter(DecoderModel model, const std::string& dir);

}  // namespace traitlab
