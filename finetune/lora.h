#pragma once
// LoRA adapters (Hu et al. 2021) on the decoder's projections, as PEFT
// computes them: y = x W^T + b + B(A(dropout(x))) * scaling, with A [r, in]
// initialised kaiming-uniform(a = sqrt(5)) (= U(-1/sqrt(in), 1/sqrt(in))),
// B [out, r] zeros, scaling = alpha / r (rsLoRA: alpha / sqrt(r)).
// Adapters are float32 whatever the base dtype (PEFT's
// autocast_adapter_dtype); their output is cast back to the activation dtype.
//
// The adapters are installed through DecoderModel::set_adapter, so the model
// itself is unchanged and "adapters off" is the base model: DPO's reference
// for a fresh adapter. An adapter loaded from disk keeps a frozen copy of its
// initial weights as the reference instead (as TRL 1.16 does).
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/model/decoder.h"

namespace traitlab {

struct LoraConfig {
  int64_t r = 8;
  double alpha = 16.0;
  double dropout = 0.0;
  // Module-name suffixes ("q_proj", "mlp.down_proj") or "all-linear" (every
  // projection except lm_head), matched as PEFT matches target_modules.
  std::vector<std::string> targets = {"q_proj", "v_proj"};
  bool rslora = false;

  double scaling() const;
};

// Which internal projection names (DecoderModel::projection_names()) a target
// list selects; InputError listing the valid names when one target matches none.
std::vector<std::string> match_lora_targets(const std::vector<std::string>& projections,
                                            const std::vector<std::string>& targets);

class LoraModel {
 public:
  enum class Mode { Train, Off, Reference };

  // Fresh adapters on the model's matching projections, seeded.
  LoraModel(DecoderModel model, const LoraConfig& cfg, uint64_t seed);
  // Given weights (internal module name -> A [r, in], B [out, r]); the
  // initial weights become the reference.
  LoraModel(DecoderModel model, const LoraConfig& cfg,
            const std::map<std::string, std::pair<torch::Tensor, torch::Tensor>>& weights);
  ~LoraModel();
  LoraModel(const LoraModel&) = delete;
  LoraModel& operator=(const LoraModel&) = delete;

  const LoraConfig& config() const { return cfg_; }
  DecoderModel& model() { return model_; }
  std::vector<std::string> modules() const;  // internal projection names, sorted
  const torch::Tensor& lora_a(const std::string& module) const;
  const torch::Tensor& lora_b(const std::string& module) const;

  // Trainable tensors named "<module>.lora_A" / "<module>.lora_B", sorted.
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;

  // Train: the trained adapters; Off: base model; Reference: DPO's frozen
  // reference (Off for a fresh adapter, the initial weights for a loaded one).
  void set_mode(Mode mode);
  Mode mode() const { return mode_; }
  // Dropout is active only while training.
  void set_training(bool training);
  // Whether the reference is the base model (no frozen copy kept).
  bool reference_is_base() const { return ref_.empty(); }

  // Adds scaling * B A to every adapted weight and removes the adapters; the
  // LoraModel is unusable afterwards.
  void merge_into_base();

 private:
  struct State;
  void install(const std::map<std::string, std::pair<torch::Tensor, torch::Tensor>>& w);
  DecoderModel model_;
  LoraConfig cfg_;
  std::shared_ptr<State> state_;
  std::map<std::string, std::pair<torch::Tensor, torch::Tensor>> w_, ref_;
  Mode mode_ = Mode::Train;
  bool merged_ = false;
};

}  // namespace traitlab
