#include "core/model/decoder_layer.h"

namespace traitlab {

DecoderLayerImpl::DecoderLayerImpl(const ModelConfig& cfg, const FamilySpec& spec, int64_t layer,
                                   const torch::TensorOptions& opts)
    : layer_(layer) {
  const int64_t h = cfg.hidden_size;
  input_layernorm = register_module("input_layernorm", Norm(spec, h, cfg.norm_eps, opts));
  self_attn = register_module("self_attn", Attention(cfg, spec, layer, opts));
  post_attention_layernorm =
      register_module("post_attention_layernorm", Norm(spec, h, cfg.norm_eps, opts));
  if (spec.sandwich_norms) {
    pre_feedforward_layernorm =
        register_module("pre_feedforward_layernorm", Norm(spec, h, cfg.norm_eps, opts));
    post_feedforward_layernorm =
        register_module("post_feedforward_layernorm", Norm(spec, h, cfg.norm_eps, opts));
  }
  mlp = register_module("mlp", Mlp(cfg, spec, opts));
  const std::string p = "layers." + std::to_string(layer) + ".";
  resid_pre_ = p + "resid_pre";
  attn_out_ = p + "attn_out";
  mlp_out_ = p + "mlp_out";
  resid_post_ = p + "resid_post";
}

torch::Tensor DecoderLayerImpl::forward(torch::Tensor x, const RopeTables& rope,
                                        const AttentionMask& mask, KVCache* cache,
                                        const HookSet* hooks, HookContext& ctx) {
  const bool hooked = hooks && !hooks->empty();
  auto hook = [&](const std::string& point, torch::Tensor act) {
    if (!hooked || !hooks->has(point)) return act;
    ctx.point = point;
    ctx.layer = layer_;
    return hooks->apply(point, std::move(act), ctx);
  };
  x = hook(resid_pre_, std::move(x));
  const bool sandwich = static_cast<bool>(pre_feedforward_layernorm);
  torch::Tensor a = self_attn(input_layernorm(x), rope, mask, cache);
  if (sandwich) a = post_attention_layernorm(a);
  a = hook(attn_out_, std::move(a));
  x = x + a;
  torch::Tensor m = sandwich ? post_feedforward_layernorm(mlp(pre_feedforward_layernorm(x)))
                             : mlp(post_attention_layernorm(x));
  m = hook(mlp_out_, std::move(m));
  x = x + m;
  return hook(resid_post_, std::move(x));
}

}  // namespace traitlab
