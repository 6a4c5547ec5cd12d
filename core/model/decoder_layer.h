#pragma once
// One pre-norm transformer block: x + attn(norm1(x)), then + mlp(norm2(x)),
// with the four named hook points of hooks.h around it. With the spec's
// sandwich_norms (gemma): x + post_attn_norm(attn(norm1(x))), then
// + post_ff_norm(mlp(pre_ff_norm(x))); attn_out / mlp_out are the normed
// branch outputs, the terms actually added to the residual stream.
#include <torch/torch.h>

#include <string>

#include "core/model/attention.h"
#include "core/model/hooks.h"
#include "core/model/mlp.h"
#include "core/model/norm.h"

namespace traitlab {

class DecoderLayerImpl : public torch::nn::Module {
 public:
  DecoderLayerImpl(const ModelConfig& cfg, const FamilySpec& spec, int64_t layer,
                   const torch::TensorOptions& opts);
  // `hooks` may be null; `ctx` carries positions and cache length.
  torch::Tensor forward(torch::Tensor x, const RopeTables& rope, const AttentionMask& mask,
                        KVCache* cache, const HookSet* hooks, HookContext& ctx);

  Norm input_layernorm{nullptr};
  Attention self_attn{nullptr};
  Norm post_attention_layernorm{nullptr};
  Norm pre_feedforward_layernorm{nullptr};   // sandwich_norms only
  Norm post_feedforward_layernorm{nullptr};  // sandwich_norms only
  Mlp mlp{nullptr};

 private:
  int64_t layer_;
  std::string resid_pre_, attn_out_, mlp_out_, resid_post_;
};
TORCH_MODULE(DecoderLayer);

}  // namespace traitlab
