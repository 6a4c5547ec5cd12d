#pragma once
// One decoder-only transformer parameterised by a family spec (llama,
// mistral, qwen2, gpt2) instead of a class per family. Parameters live in
// torch::nn modules (so finetune/ can train them); their Hugging Face names
// come from the family's weight-name map.
//
// Inference: load_model and init_random_model return a model in eval mode
// whose parameters do not require gradients, so forward() builds no autograd
// graph; call set_trainable(true) (or requires_grad_ on chosen parameters)
// before training. Internal parameter names are listed in family.h.
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "core/model/config.h"
#include "core/model/hooks.h"
#include "core/model/kv_cache.h"
#include "core/model/linear.h"

namespace traitlab {

class WeightSource;

struct ForwardArgs {
  torch::Tensor tokens;  // [batch, time] int64
  // Optional [batch, time] int64 absolute positions; default cache.length() + arange(time).
  torch::Tensor positions;
  // Optional boolean mask [batch, 1 or time, total] (total = cache length +
  // time), true = may attend. Default: causal over cache + new tokens. Used
  // for left padding and for packed multi-option scoring.
  torch::Tensor attn_mask;
  KVCache* cache = nullptr;        // appended to when given
  const HookSet* hooks = nullptr;  // may read or replace activations
};

class DecoderModelImpl : public torch::nn::Module {
 public:
  // Parameters are allocated uninitialised (float32 on CPU for the first
  // form); fill them with init_random_model / load_hf_weights.
  explicit DecoderModelImpl(const ModelConfig& cfg);
  DecoderModelImpl(const ModelConfig& cfg, const torch::TensorOptions& opts);

  const ModelConfig& config() const { return cfg_; }

  // Final hidden states after the last norm, [batch, time, hidden].
  torch::Tensor forward_hidden(const ForwardArgs& args);
  // Logits in float32, [batch, time, vocab].
  torch::Tensor forward(const ForwardArgs& args);
  // Project hidden states to float32 logits.
  torch::Tensor logits(const torch::Tensor& hidden);
  // Output projection [vocab, hidden] (the embedding matrix when tied).
  torch::Tensor lm_head_weight() const;
  // Whether logits() is hidden x lm_head_weight()^T (plus any lm_head
  // adapter): false when the logits are soft-capped (final_logit_softcapping),
  // so code that fuses the head product into a log-softmax must not be used.
  bool logits_are_linear() const;

  KVCache new_cache() const { return KVCache(cfg_.n_layer); }

  // Parameters under their Hugging Face names (tied head omitted), in HF layout
  // (gpt2 Conv1D weights back to [in, out]).
  std::vector<std::pair<std::string, torch::Tensor>> hf_state_dict() const;
  // Copies weights in; missing or mis-shaped tensors are InputErrors naming
  // the tensor and the file.
  void load_hf_weights(const WeightSource& src);

  torch::ScalarType dtype() const;
  torch::Device device() const;

  // Adapters (LoRA): `module` is an internal projection name such as
  // "layers.3.self_attn.q_proj" or "layers.0.mlp.down_proj"; its output
  // becomes x W^T + b + fn(x). An empty fn removes the adapter.
  void set_adapter(const std::string& module, LinearAdapter fn);
  void clear_adapters();
  std::vector<std::string> projection_names() const;

  // requires_grad on every parameter.
  void set_trainable(bool trainable);

 private:
  struct Impl;
  ModelConfig cfg_;
  std::shared_ptr<Impl> impl_;
};
TORCH_MODULE(DecoderModel);

// Random initialisation (normal(0, 0.02) for weights, as HF's
// initializer_range default; norms to 1, biases to 0), seeded.
DecoderModel init_random_model(const ModelConfig& cfg, uint64_t seed);
// config.json + safetensors weights, cast to dtype on device.
DecoderModel load_model(const std::string& dir, torch::Device device, torch::ScalarType dtype);
// Writes config.json and model.safetensors (HF layout) into dir.
void save_model(DecoderModel& model, const std::string& dir);

}  // namespace traitlab
