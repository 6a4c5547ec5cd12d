#pragma once
// Switching the attention-probability observer (attention.h) on or off for
// every attention module of a model. Diagnostics only (training logs the
// per-layer attention entropy through it, finetune/attention_entropy.h);
// when off, attention pays one null-pointer test per layer.
#include <torch/torch.h>

#include "core/model/attention.h"

namespace traitlab {

// Installs `fn` on every AttentionImpl below `model` (an empty fn removes
// it); returns how many attention modules were found.
int64_t set_attention_observer(torch::nn::Module& model, AttentionObserver fn);

// Installs an observer for its lifetime, removes it on destruction (also
// when the forward pass throws).
class ScopedAttentionObserver {
 public:
  ScopedAttentionObserver(torch::nn::Module& model, AttentionObserver fn);
  ~ScopedAttentionObserver();
  ScopedAttentionObserver(const ScopedAttentionObserver&) = delete;
  ScopedAttentionObserver& operator=(const ScopedAttentionObserver&) = delete;

 private:
  torch::nn::Module& model_;
};

}  // namespace traitlab
