#include "core/model/decoder.h"

#include <map>
#include <mutex>

#include "core/model/attention.h"
#include "core/model/decoder_layer.h"
#include "core/model/family.h"
#include "core/model/installed_hooks.h"
#include "core/model/norm.h"
#include "core/model/rope.h"
#include "core/model/shape_str.h"
#include "core/util/error.h"

namespace traitlab {

struct DecoderModelImpl::Impl {
  FamilySpec spec;
  EmbeddingTable embed_tokens{nullptr};
  EmbeddingTable embed_positions{nullptr};  // learned positions (gpt2) only
  std::vector<DecoderLayer> layers;
  Norm norm{nullptr};
  Projection lm_head{nullptr};  // null when tied to embed_tokens
  // float32, CPU; [1] for the sliding layers when their base differs
  // (spec.sliding_rope_theta), else undefined.
  torch::Tensor inv_freq[2];
  torch::Tensor inv_freq_on_device[2];
  std::map<std::string, Projection> projections;

  std::mutex inv_freq_mutex;  // forward() may run on several threads

  // Kept outside the parameters and buffers so that model->to(kBFloat16)
  // cannot round it: HF computes rotary angles from float32 frequencies.
  torch::Tensor inv_freq_for(torch::Device device, int which = 0) {
    if (device.is_cpu()) return inv_freq[which];
    std::lock_guard<std::mutex> lock(inv_freq_mutex);
    torch::Tensor& on_device = inv_freq_on_device[which];
    if (!on_device.defined() || on_device.device() != device) {
      on_device = inv_freq[which].to(device);
    }
    return on_device;
  }
};

DecoderModelImpl::DecoderModelImpl(const ModelConfig& cfg)
    : DecoderModelImpl(cfg, torch::TensorOptions().dtype(torch::kFloat32)) {}

DecoderModelImpl::DecoderModelImpl(const ModelConfig& cfg, const torch::TensorOptions& opts)
    : cfg_(cfg), impl_(std::make_shared<Impl>()) {
  Impl& m = *impl_;
  m.spec = family_spec(cfg);
  m.embed_tokens =
      register_module("embed_tokens", EmbeddingTable(cfg.vocab_size, cfg.hidden_size, opts));
  if (!m.spec.rope) {
    m.embed_positions = register_module(
        "embed_positions", EmbeddingTable(cfg.max_position_embeddings, cfg.hidden_size, opts));
  } else {
    m.inv_freq[0] = rope_inv_freq(cfg);
    if (m.spec.sliding_rope_theta)
      m.inv_freq[1] = rope_inv_freq(cfg.head_dim, *m.spec.sliding_rope_theta, RopeScaling{});
  }
  auto list = register_module("layers", torch::nn::ModuleList());
  for (int64_t i = 0; i < cfg.n_layer; ++i) {
    DecoderLayer layer(cfg, m.spec, i, opts);
    list->push_back(layer);
    m.layers.push_back(layer);
    const std::string p = "layers." + std::to_string(i) + ".";
    auto& attn = layer->self_attn;
    m.projections.emplace(p + "self_attn.q_proj", attn->q_proj);
    m.projections.emplace(p + "self_attn.k_proj", attn->k_proj);
    m.projections.emplace(p + "self_attn.v_proj", attn->v_proj);
    m.projections.emplace(p + "self_attn.o_proj", attn->o_proj);
    if (layer->mlp->gate_proj) m.projections.emplace(p + "mlp.gate_proj", layer->mlp->gate_proj);
    m.projections.emplace(p + "mlp.up_proj", layer->mlp->up_proj);
    m.projections.emplace(p + "mlp.down_proj", layer->mlp->down_proj);
  }
  m.norm = register_module("norm", Norm(m.spec, cfg.hidden_size, cfg.norm_eps, opts));
  if (!cfg.tie_word_embeddings) {
    m.lm_head =
        register_module("lm_head", Projection(cfg.hidden_size, cfg.vocab_size, false, opts));
    m.projections.emplace("lm_head", m.lm_head);
  }
}

torch::Tensor DecoderModelImpl::forward_hidden(const ForwardArgs& args) {
  Impl& m = *impl_;
  const torch::Tensor& tokens = args.tokens;
  check_input(tokens.defined() && tokens.dim() == 2 && tokens.scalar_type() == torch::kInt64,
              "forward: tokens must be a [batch, time] int64 tensor");
  const int64_t batch = tokens.size(0), time = tokens.size(1);
  check_input(batch > 0 && time > 0, "forward: empty token tensor ", shape_str(tokens.sizes()));
  const torch::Device dev = device();
  torch::Tensor ids = tokens.to(dev);
  const int64_t lo = ids.min().item<int64_t>(), hi = ids.max().item<int64_t>();
  check_input(lo >= 0 && hi < cfg_.vocab_size, "forward: token id ", lo < 0 ? lo : hi,
              " is outside the vocabulary [0, ", cfg_.vocab_size, ")");

  int64_t cache_len = 0;
  if (args.cache) {
    check_input(args.cache->n_layer() == cfg_.n_layer, "forward: KV cache has ",
                args.cache->n_layer(), " layers, the model ", cfg_.n_layer);
    cache_len = args.cache->length();
    check_input(cache_len == 0 || args.cache->batch() == batch, "forward: KV cache batch ",
                args.cache->batch(), " differs from the token batch ", batch);
  }
  torch::Tensor positions;
  if (args.positions.defined()) {
    check_input(args.positions.sizes() == tokens.sizes(), "forward: positions have shape ",
                shape_str(args.positions.sizes()), ", expected ", shape_str(tokens.sizes()));
    positions = args.positions.to(dev, torch::kInt64);
  } else {
    positions =
        torch::arange(cache_len, cache_len + time, torch::TensorOptions(dev).dtype(torch::kInt64))
            .unsqueeze(0)
            .expand({batch, time});
  }
  // Installed hooks (installed_hooks.h) run first, then the per-call ones.
  HookSet combined;
  const HookSet* hooks = effective_hooks(this, args.hooks, cfg_.n_layer, combined);
  if (hooks && !hooks->empty()) hooks->validate(cfg_.n_layer);

  torch::Tensor x = m.embed_tokens(ids);
  if (m.spec.embed_scale != 1.0) {
    // Rounded to the model dtype first, as HF's Gemma3TextScaledWordEmbedding.
    x = x * torch::scalar_tensor(m.spec.embed_scale, torch::kFloat32).to(x.scalar_type());
  }
  RopeTables rope, rope_sliding;
  if (m.embed_positions) {
    const int64_t pmax = positions.max().item<int64_t>(), pmin = positions.min().item<int64_t>();
    check_input(pmin >= 0 && pmax < cfg_.max_position_embeddings, "forward: position ",
                pmin < 0 ? pmin : pmax, " is outside the model's range [0, ",
                cfg_.max_position_embeddings, ")");
    x = x + m.embed_positions(positions);
  } else {
    std::tie(rope.cos, rope.sin) = rope_cos_sin(m.inv_freq_for(dev), positions, x.scalar_type());
    if (m.inv_freq[1].defined()) {
      std::tie(rope_sliding.cos, rope_sliding.sin) =
          rope_cos_sin(m.inv_freq_for(dev, 1), positions, x.scalar_type());
    }
  }
  AttentionMask mask = build_attention_mask(cfg_, batch, time, cache_len, args.attn_mask, dev);
  HookContext ctx;
  ctx.positions = positions;
  ctx.cache_length = cache_len;
  // If a layer throws (say, a hook returns a wrong shape), earlier layers
  // have already appended: put the cache back so it stays consistent.
  KVCache before = args.cache ? *args.cache : KVCache();
  try {
    for (int64_t i = 0; i < cfg_.n_layer; ++i) {
      const bool sliding_rope = rope_sliding.cos.defined() && cfg_.layer_uses_window(i);
      x = m.layers[static_cast<size_t>(i)](x, sliding_rope ? rope_sliding : rope, mask, args.cache,
                                           hooks, ctx);
    }
  } catch (...) {
    if (args.cache) *args.cache = before;
    throw;
  }
  return m.norm(x);
}

torch::Tensor DecoderModelImpl::forward(const ForwardArgs& args) {
  return logits(forward_hidden(args));
}

torch::Tensor DecoderModelImpl::logits(const torch::Tensor& hidden) {
  torch::Tensor out = impl_->lm_head ? impl_->lm_head(hidden)
                                     : torch::nn::functional::linear(hidden, lm_head_weight());
  if (const auto& cap = impl_->spec.final_softcap) out = torch::tanh(out / *cap) * *cap;
  return out.to(torch::kFloat32);
}

bool DecoderModelImpl::logits_are_linear() const { return !impl_->spec.final_softcap.has_value(); }

torch::Tensor DecoderModelImpl::lm_head_weight() const {
  return impl_->lm_head ? impl_->lm_head->weight : impl_->embed_tokens->weight;
}

torch::ScalarType DecoderModelImpl::dtype() const {
  return impl_->embed_tokens->weight.scalar_type();
}

torch::Device DecoderModelImpl::device() const { return impl_->embed_tokens->weight.device(); }

void DecoderModelImpl::set_adapter(const std::string& module, LinearAdapter fn) {
  auto it = impl_->projections.find(module);
  check_input(it != impl_->projections.end(), "adapter: no projection named '", module,
              "' (e.g. layers.0.self_attn.q_proj, layers.0.mlp.down_proj)");
  it->second->adapter = std::move(fn);
}

void DecoderModelImpl::clear_adapters() {
  for (auto& [name, proj] : impl_->projections) proj->adapter = nullptr;
}

std::vector<std::string> DecoderModelImpl::projection_names() const {
  std::vector<std::string> names;
  for (const auto& [name, proj] : impl_->projections) names.push_back(name);
  return names;
}

void DecoderModelImpl::set_trainable(bool trainable) {
  for (auto& p : parameters()) p.requires_grad_(trainable);
}

}  // namespace traitlab
