#include "core/model/family.h"

#include <cmath>

#include "core/util/error.h"

namespace traitlab {

namespace {

Activation parse_activation(const std::string& name) {
  if (name == "silu" || name == "swish") return Activation::Silu;
  if (name == "gelu_new") return Activation::GeluNew;
  if (name == "gelu_pytorch_tanh") return Activation::GeluTanh;
  if (name == "gelu") return Activation::Gelu;
  if (name == "relu") return Activation::Relu;
  throw UnsupportedError(str("activation '", name, "' is not supported"));
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The llama layout, shared by llama, mistral, qwen2 and gemma3 (plus its
// q/k norms and feed-forward norms): HF names are the internal names under
// "model.".
std::vector<WeightSpec> llama_specs(const ModelConfig& c, const FamilySpec& f) {
  const int64_t h = c.hidden_size, q_out = c.n_head * c.head_dim, kv_out = c.n_kv_head * c.head_dim;
  const int64_t inter = c.intermediate_size;
  std::vector<WeightSpec> s;
  auto add = [&](const std::string& name, std::vector<int64_t> shape) {
    s.push_back({"model." + name, {name}, std::move(shape), false});
  };
  add("embed_tokens.weight", {c.vocab_size, h});
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string p = "layers." + std::to_string(i) + ".";
    add(p + "input_layernorm.weight", {h});
    add(p + "self_attn.q_proj.weight", {q_out, h});
    add(p + "self_attn.k_proj.weight", {kv_out, h});
    add(p + "self_attn.v_proj.weight", {kv_out, h});
    if (f.qkv_bias) {
      add(p + "self_attn.q_proj.bias", {q_out});
      add(p + "self_attn.k_proj.bias", {kv_out});
      add(p + "self_attn.v_proj.bias", {kv_out});
    }
    add(p + "self_attn.o_proj.weight", {h, q_out});
    if (f.o_bias) add(p + "self_attn.o_proj.bias", {h});
    if (f.qk_norm) {
      add(p + "self_attn.q_norm.weight", {c.head_dim});
      add(p + "self_attn.k_norm.weight", {c.head_dim});
    }
    add(p + "post_attention_layernorm.weight", {h});
    if (f.sandwich_norms) {
      add(p + "pre_feedforward_layernorm.weight", {h});
      add(p + "post_feedforward_layernorm.weight", {h});
    }
    add(p + "mlp.gate_proj.weight", {inter, h});
    add(p + "mlp.up_proj.weight", {inter, h});
    add(p + "mlp.down_proj.weight", {h, inter});
    if (f.mlp_bias) {
      add(p + "mlp.gate_proj.bias", {inter});
      add(p + "mlp.up_proj.bias", {inter});
      add(p + "mlp.down_proj.bias", {h});
    }
  }
  add("norm.weight", {h});
  if (!c.tie_word_embeddings)
    s.push_back({"lm_head.weight", {"lm_head.weight"}, {c.vocab_size, h}});
  return s;
}

std::vector<WeightSpec> gpt2_specs(const ModelConfig& c) {
  const int64_t h = c.hidden_size, inter = c.intermediate_size;
  std::vector<WeightSpec> s;
  auto add = [&](const std::string& hf, std::vector<std::string> params, std::vector<int64_t> shape,
                 bool transpose = false) {
    s.push_back({"transformer." + hf, std::move(params), std::move(shape), transpose});
  };
  add("wte.weight", {"embed_tokens.weight"}, {c.vocab_size, h});
  add("wpe.weight", {"embed_positions.weight"}, {c.max_position_embeddings, h});
  for (int64_t i = 0; i < c.n_layer; ++i) {
    const std::string hp = "h." + std::to_string(i) + ".";
    const std::string p = "layers." + std::to_string(i) + ".";
    add(hp + "ln_1.weight", {p + "input_layernorm.weight"}, {h});
    add(hp + "ln_1.bias", {p + "input_layernorm.bias"}, {h});
    const std::string a = p + "self_attn.";
    add(hp + "attn.c_attn.weight", {a + "q_proj.weight", a + "k_proj.weight", a + "v_proj.weight"},
        {h, 3 * h}, true);
    add(hp + "attn.c_attn.bias", {a + "q_proj.bias", a + "k_proj.bias", a + "v_proj.bias"},
        {3 * h});
    add(hp + "attn.c_proj.weight", {a + "o_proj.weight"}, {h, h}, true);
    add(hp + "attn.c_proj.bias", {a + "o_proj.bias"}, {h});
    add(hp + "ln_2.weight", {p + "post_attention_layernorm.weight"}, {h});
    add(hp + "ln_2.bias", {p + "post_attention_layernorm.bias"}, {h});
    add(hp + "mlp.c_fc.weight", {p + "mlp.up_proj.weight"}, {h, inter}, true);
    add(hp + "mlp.c_fc.bias", {p + "mlp.up_proj.bias"}, {inter});
    add(hp + "mlp.c_proj.weight", {p + "mlp.down_proj.weight"}, {inter, h}, true);
    add(hp + "mlp.c_proj.bias", {p + "mlp.down_proj.bias"}, {h});
  }
  add("ln_f.weight", {"norm.weight"}, {h});
  add("ln_f.bias", {"norm.bias"}, {h});
  if (!c.tie_word_embeddings)
    s.push_back({"lm_head.weight", {"lm_head.weight"}, {c.vocab_size, h}});
  return s;
}

}  // namespace

FamilySpec family_spec(const ModelConfig& cfg) {
  FamilySpec f;
  f.act = parse_activation(cfg.hidden_act);
  f.qkv_bias = cfg.attention_bias;
  f.o_bias = cfg.o_bias;
  f.mlp_bias = cfg.mlp_bias;
  f.attn_scale = std::pow(static_cast<double>(cfg.head_dim), -0.5);
  f.attn_softcap = cfg.attn_logit_softcapping;  // gemma2's; see the Gemma3 case
  f.final_softcap = cfg.final_logit_softcapping;
  switch (cfg.family) {
    case Family::Llama:
    case Family::Mistral:
    case Family::Qwen2:
      break;
    case Family::Gpt2:
      f.norm = NormKind::Layer;
      f.rope = false;
      f.gated_mlp = false;
      if (!cfg.scale_attn_weights) f.attn_scale = 1.0;
      f.attn_scale_by_inverse_layer = cfg.scale_attn_by_inverse_layer_idx;
      break;
    case Family::Gemma3:
      f.embed_scale = std::sqrt(static_cast<double>(cfg.hidden_size));
      f.norm_weight_offset = 1.0;
      f.norm_weight_in_float32 = true;
      f.qk_norm = true;
      f.sandwich_norms = true;
      f.attn_scale = std::pow(cfg.query_pre_attn_scalar.value_or(256.0), -0.5);
      f.sliding_rope_theta = cfg.rope_local_theta.value_or(10000.0);
      // transformers' Gemma3Attention stores attn_logit_softcapping but never
      // passes it to the attention function (Gemma2Attention does), so a
      // gemma3 checkpoint that sets it runs uncapped there, and here.
      f.attn_softcap.reset();
      break;
  }
  return f;
}

std::vector<WeightSpec> hf_weight_specs(const ModelConfig& cfg) {
  return cfg.family == Family::Gpt2 ? gpt2_specs(cfg) : llama_specs(cfg, family_spec(cfg));
}

bool is_ignorable_tensor(const ModelConfig& cfg, const std::string& name) {
  if (name == "lm_head.weight") return cfg.tie_word_embeddings;
  if (cfg.family == Family::Gpt2)
    return ends_with(name, ".attn.bias") || ends_with(name, ".attn.masked_bias");
  return ends_with(name, ".rotary_emb.inv_freq");
}

}  // namespace traitlab
