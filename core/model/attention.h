#pragma once
// Multi-head self-attention with grouped key/value heads (GQA), rotary or
// no positions, an optional sliding window, and an immutable KV cache.
//
// Numerics follow transformers' eager attention: scores = (q k^T) * scale in
// the model dtype (soft-capped there when the spec says so), masked, softmax
// in float32, cast back, times v. Masked
// scores are set to float32's lowest value rather than -inf so a fully
// masked row (a left-padding query) gives a uniform distribution, not NaN,
// and NaN cannot leak into later layers through padded keys.
#include <torch/torch.h>

#include <functional>

#include "core/model/config.h"
#include "core/model/family.h"
#include "core/model/kv_cache.h"
#include "core/model/linear.h"
#include "core/model/norm.h"

namespace traitlab {

// Which cached/new key slots each query may see, for one forward call.
struct AttentionMask {
  // [batch or 1, 1, time, total] bool (true = attend) for full-attention
  // layers; undefined when every query may see every key (one new token).
  torch::Tensor full;
  // The same with the sliding window applied, for window layers.
  torch::Tensor window;
};

// Causal over absolute slots (cache_len + t may see slots <= cache_len + t),
// ANDed with `user` ([batch, 1 or time, total] bool) when given, and with
// the window (slot > cache_len + t - window) for window layers.
AttentionMask build_attention_mask(const ModelConfig& cfg, int64_t batch, int64_t time,
                                   int64_t cache_len, const torch::Tensor& user,
                                   torch::Device device);

// Sees one layer's attention probabilities during forward: probs [batch,
// n_head, time, total] float32 (rows sum to 1; masked keys are exactly 0, a
// fully masked padding row is uniform). Used by training diagnostics
// (finetune/attention_entropy.h); must not modify the tensor. Off by default:
// the forward pass then only tests one null function pointer.
using AttentionObserver = std::function<void(int64_t layer, const torch::Tensor& probs)>;

struct RopeTables {
  torch::Tensor cos, sin;  // [batch, 1, time, head_dim]; undefined without rope
};

class AttentionImpl : public torch::nn::Module {
 public:
  AttentionImpl(const ModelConfig& cfg, const FamilySpec& spec, int64_t layer,
                const torch::TensorOptions& opts);
  // x [batch, time, hidden] (already normed) -> [batch, time, hidden].
  torch::Tensor forward(const torch::Tensor& x, const RopeTables& rope, const AttentionMask& mask,
                        KVCache* cache);

  Projection q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
  Norm q_norm{nullptr}, k_norm{nullptr};  // over head_dim, spec.qk_norm only
  // Null (the default) switches observation off.
  std::shared_ptr<const AttentionObserver> observer;

 private:
  int64_t layer_, n_head_, n_kv_head_, head_dim_;
  bool window_;
  double scale_;
  std::optional<double> softcap_;
};
TORCH_MODULE(Attention);

}  // namespace traitlab
