#include "core/model/attention.h"

#include <cmath>
#include <limits>

#include "core/model/rope.h"
#include "core/model/shape_str.h"
#include "core/util/error.h"

namespace traitlab {

AttentionMask build_attention_mask(const ModelConfig& cfg, int64_t batch, int64_t time,
                                   int64_t cache_len, const torch::Tensor& user,
                                   torch::Device device) {
  const int64_t total = cache_len + time;
  bool any_window = false;
  for (int64_t i = 0; i < cfg.n_layer; ++i) any_window = any_window || cfg.layer_uses_window(i);
  const bool window_cuts = any_window && total > *cfg.sliding_window;
  AttentionMask m;
  if (time == 1 && !user.defined() && !window_cuts) return m;  // the usual decoding step

  auto opts = torch::TensorOptions().dtype(torch::kInt64).device(device);
  torch::Tensor query_slot = torch::arange(cache_len, total, opts).unsqueeze(1);  // [time, 1]
  torch::Tensor key_slot = torch::arange(0, total, opts).unsqueeze(0);            // [1, total]
  torch::Tensor causal = key_slot <= query_slot;                                  // [time, total]
  torch::Tensor extra;
  if (user.defined()) {
    check_input(user.dim() == 3 && user.size(0) == batch &&
                    (user.size(1) == 1 || user.size(1) == time) && user.size(2) == total,
                "attn_mask: expected shape [", batch, ", 1 or ", time, ", ", total, "], got ",
                shape_str(user.sizes()));
    extra = user.to(device, torch::kBool).unsqueeze(1);  // [batch, 1, 1|time, total]
  }
  auto combine = [&](torch::Tensor base) {
    base = base.view({1, 1, time, total});
    return extra.defined() ? base.logical_and(extra) : base;
  };
  m.full = combine(causal);
  if (any_window) {
    m.window = combine(causal.logical_and(key_slot > query_slot - *cfg.sliding_window));
  }
  return m;
}

AttentionImpl::AttentionImpl(const ModelConfig& cfg, const FamilySpec& spec, int64_t layer,
                             const torch::TensorOptions& opts)
    : layer_(layer),
      n_head_(cfg.n_head),
      n_kv_head_(cfg.n_kv_head),
      head_dim_(cfg.head_dim),
      window_(cfg.layer_uses_window(layer)) {
  const int64_t h = cfg.hidden_size;
  q_proj = register_module("q_proj", Projection(h, n_head_ * head_dim_, spec.qkv_bias, opts));
  k_proj = register_module("k_proj", Projection(h, n_kv_head_ * head_dim_, spec.qkv_bias, opts));
  v_proj = register_module("v_proj", Projection(h, n_kv_head_ * head_dim_, spec.qkv_bias, opts));
  o_proj = register_module("o_proj", Projection(n_head_ * head_dim_, h, spec.o_bias, opts));
  if (spec.qk_norm) {
    q_norm = register_module("q_norm", Norm(spec, head_dim_, cfg.norm_eps, opts));
    k_norm = register_module("k_norm", Norm(spec, head_dim_, cfg.norm_eps, opts));
  }
  scale_ = spec.attn_scale;
  if (spec.attn_scale_by_inverse_layer) scale_ /= layer + 1;
  softcap_ = spec.attn_softcap;
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const RopeTables& rope,
                                     const AttentionMask& mask, KVCache* cache) {
  const int64_t batch = x.size(0), time = x.size(1);
  torch::Tensor q = q_proj(x).view({batch, time, n_head_, head_dim_}).transpose(1, 2);
  torch::Tensor k = k_proj(x).view({batch, time, n_kv_head_, head_dim_}).transpose(1, 2);
  torch::Tensor v = v_proj(x).view({batch, time, n_kv_head_, head_dim_}).transpose(1, 2);
  if (q_norm) {
    q = q_norm(q);
    k = k_norm(k);
  }
  if (rope.cos.defined()) {
    q = apply_rope(q, rope.cos, rope.sin);
    k = apply_rope(k, rope.cos, rope.sin);
  }
  if (cache) std::tie(k, v) = cache->append(layer_, k, v);
  const int64_t total = k.size(2), group = n_head_ / n_kv_head_;

  // Grouped heads: view the `group` query heads that share a kv head as
  // extra rows instead of repeating k and v (HF's repeat_kv copies them).
  torch::Tensor qg = q.reshape({batch, n_kv_head_, group * time, head_dim_});
  torch::Tensor scores = torch::matmul(qg, k.transpose(2, 3)).view({batch, n_head_, time, total});
  scores = scores * scale_;
  if (softcap_) scores = torch::tanh(scores / *softcap_) * *softcap_;
  scores = scores.to(torch::kFloat32);
  const torch::Tensor& allowed = window_ ? mask.window : mask.full;
  if (allowed.defined()) {
    scores = scores.masked_fill(allowed.logical_not(), std::numeric_limits<float>::lowest());
  }
  torch::Tensor probs = torch::softmax(scores, -1);
  if (observer) (*observer)(layer_, probs);
  probs = probs.to(x.scalar_type());
  torch::Tensor out = torch::matmul(probs.view({batch, n_kv_head_, group * time, total}), v);
  out = out.view({batch, n_head_, time, head_dim_}).transpose(1, 2).reshape({batch, time, -1});
  return o_proj(out);
}

}  // namespace traitlab
