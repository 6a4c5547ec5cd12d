#include "core/model/gguf_model.h"

#include <iterator>
#include <regex>

#include "core/io/strict_json.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

using NamePair = std::pair<const char*, const char*>;

// GGUF per-layer tensor suffix -> Hugging Face module path under layers.N.
constexpr NamePair kLlamaLayerNames[] = {
    {"attn_norm", "input_layernorm"},    {"attn_q", "self_attn.q_proj"},
    {"attn_k", "self_attn.k_proj"},      {"attn_v", "self_attn.v_proj"},
    {"attn_output", "self_attn.o_proj"}, {"ffn_norm", "post_attention_layernorm"},
    {"ffn_gate", "mlp.gate_proj"},       {"ffn_up", "mlp.up_proj"},
    {"ffn_down", "mlp.down_proj"},
};

// Gemma 3: ffn_norm is the MLP's input norm (pre_feedforward_layernorm), and
// the attention and MLP outputs have norms of their own.
constexpr NamePair kGemma3LayerNames[] = {
    {"attn_norm", "input_layernorm"},
    {"attn_q", "self_attn.q_proj"},
    {"attn_k", "self_attn.k_proj"},
    {"attn_v", "self_attn.v_proj"},
    {"attn_output", "self_attn.o_proj"},
    {"attn_q_norm", "self_attn.q_norm"},
    {"attn_k_norm", "self_attn.k_norm"},
    {"post_attention_norm", "post_attention_layernorm"},
    {"ffn_norm", "pre_feedforward_layernorm"},
    {"post_ffw_norm", "post_feedforward_layernorm"},
    {"ffn_gate", "mlp.gate_proj"},
    {"ffn_up", "mlp.up_proj"},
    {"ffn_down", "mlp.down_proj"},
};

// Gemma 3 hyper-parameters that llama.cpp does not store but fixes in code
// (src/llama-model.cpp, LLM_ARCH_GEMMA3): every 6th layer full attention,
// local rope base 10000, attention scale 1/sqrt(key_length) (transformers'
// query_pre_attn_scalar equals head_dim for every released size except
// 27B, where llama.cpp uses hidden / heads, as here for 62 layers).
void gemma3_config(const GgufFile& f, const std::string& p, nlohmann::json& c) {
  if (f.has(p + "attention.sliding_window"))
    c["sliding_window"] = f.get_int(p + "attention.sliding_window");
  c["sliding_window_pattern"] = 6;
  c["rope_local_base_freq"] = 10000.0;
  if (!c.contains("rope_theta")) c["rope_theta"] = 1000000.0;
  const bool is_27b = c["num_hidden_layers"].get<int64_t>() == 62;
  c["query_pre_attn_scalar"] =
      is_27b ? c["hidden_size"].get<int64_t>() / c["num_attention_heads"].get<int64_t>()
             : c["head_dim"].get<int64_t>();
}

// One row per GGUF architecture traitlab runs: the model_type its
// config.json gets; whether llama.cpp permuted Q/K at conversion (it does so
// for the models it runs with interleaved "normal" rope: llama and the
// llama-labelled Mistral files; qwen2 and gemma3 use NEOX rope and are
// unpermuted); the layer tensor names; the MLP activation; what the
// converter added to every norm weight (subtracted again on load, as
// transformers' GGUF loader does); and the keys llama.cpp leaves implicit.
struct GgufArch {
  const char* arch;
  const char* model_type;
  bool permuted_qk;
  const NamePair* layer_names;
  size_t n_layer_names;
  const char* hidden_act;
  float norm_shift;
  void (*extra_config)(const GgufFile&, const std::string& prefix, nlohmann::json& config);
};

constexpr GgufArch kArchs[] = {
    {"llama", "llama", true, kLlamaLayerNames, std::size(kLlamaLayerNames), "silu", 0.0f, nullptr},
    {"qwen2", "qwen2", false, kLlamaLayerNames, std::size(kLlamaLayerNames), "silu", 0.0f, nullptr},
    {"gemma3", "gemma3_text", false, kGemma3LayerNames, std::size(kGemma3LayerNames),
     "gelu_pytorch_tanh", 1.0f, gemma3_config},
};

const GgufArch& find_arch(const GgufFile& f) {
  const std::string arch = f.get_string("general.architecture");
  for (const auto& a : kArchs) {
    if (arch == a.arch) return a;
  }
  std::string known;
  for (const auto& a : kArchs) known += std::string(known.empty() ? "" : ", ") + a.arch;
  throw UnsupportedError(str(f.path(), ": general.architecture '", printable(arch),
                             "' is not supported from GGUF (supported: ", known, ")"));
}

constexpr NamePair kGlobalNames[] = {
    {"token_embd.weight", "model.embed_tokens.weight"},
    {"output_norm.weight", "model.norm.weight"},
    {"output.weight", "lm_head.weight"},
};

bool is_norm_weight(const std::string& hf_name) {
  const std::string suffix = "norm.weight";
  return hf_name.size() >= suffix.size() &&
         hf_name.compare(hf_name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

nlohmann::json gguf_model_config(const GgufFile& f) {
  const GgufArch& a = find_arch(f);
  const std::string p = std::string(a.arch) + ".";
  const GgufTensor* embd = f.find("token_embd.weight");
  check_input(embd != nullptr && embd->shape.size() == 2, f.path(),
              ": tensor 'token_embd.weight' is missing or not 2-D");
  nlohmann::json c;
  c["model_type"] = a.model_type;
  c["vocab_size"] = embd->shape[0];
  c["hidden_size"] = f.get_int(p + "embedding_length");
  c["intermediate_size"] = f.get_int(p + "feed_forward_length");
  c["num_hidden_layers"] = f.get_int(p + "block_count");
  const int64_t n_head = f.get_int(p + "attention.head_count");
  c["num_attention_heads"] = n_head;
  c["num_key_value_heads"] =
      f.has(p + "attention.head_count_kv") ? f.get_int(p + "attention.head_count_kv") : n_head;
  check_input(n_head > 0, f.path(), ": metadata key '", p, "attention.head_count' must be > 0");
  const int64_t head_dim = f.has(p + "attention.key_length")
                               ? f.get_int(p + "attention.key_length")
                               : c["hidden_size"].get<int64_t>() / n_head;
  c["head_dim"] = head_dim;
  if (f.has(p + "rope.dimension_count")) {
    const int64_t rot = f.get_int(p + "rope.dimension_count");
    if (rot != head_dim) {
      throw UnsupportedError(str(f.path(), ": metadata key '", p, "rope.dimension_count' is ", rot,
                                 " but head_dim is ", head_dim,
                                 " (partial rotary embeddings are not supported)"));
    }
  }
  if (f.has(p + "context_length")) c["max_position_embeddings"] = f.get_int(p + "context_length");
  c["rms_norm_eps"] = f.has(p + "attention.layer_norm_rms_epsilon")
                          ? f.get_float(p + "attention.layer_norm_rms_epsilon")
                          : 1e-6;
  if (f.has(p + "rope.freq_base")) c["rope_theta"] = f.get_float(p + "rope.freq_base");
  if (f.has(p + "rope.scaling.type")) {
    const std::string type = f.get_string(p + "rope.scaling.type");
    if (type == "linear") {
      c["rope_scaling"] = {{"rope_type", "linear"},
                           {"factor", f.get_float(p + "rope.scaling.factor")}};
    } else if (type != "none") {
      throw UnsupportedError(str(f.path(), ": metadata key '", p, "rope.scaling.type' is '",
                                 printable(type), "' (supported: none, linear)"));
    }
  }
  if (f.find("rope_freqs.weight") != nullptr) {
    throw UnsupportedError(str(f.path(),
                               ": tensor 'rope_freqs.weight' (llama3-style rope "
                               "frequency factors) is not supported from GGUF yet"));
  }
  c["tie_word_embeddings"] = f.find("output.weight") == nullptr;
  c["hidden_act"] = a.hidden_act;
  if (a.extra_config) a.extra_config(f, p, c);
  c["torch_dtype"] = "float32";
  for (const char* k : {"bos", "eos", "padding"}) {
    const std::string key = str("tokenizer.ggml.", k, "_token_id");
    if (f.has(key))
      c[std::string(k == std::string("padding") ? "pad" : k) + "_token_id"] = f.get_int(key);
  }
  return c;
}

std::map<std::string, GgufWeight> gguf_weight_map(const GgufFile& f) {
  const GgufArch& a = find_arch(f);
  const std::string p = std::string(a.arch) + ".";
  const int64_t n_head = f.get_int(p + "attention.head_count");
  const int64_t n_kv =
      f.has(p + "attention.head_count_kv") ? f.get_int(p + "attention.head_count_kv") : n_head;
  static const std::regex layer_re(R"(blk\.(\d+)\.([a-z_]+)\.(weight|bias))");
  std::map<std::string, GgufWeight> out;
  for (const GgufTensor& t : f.tensors()) {
    std::string hf = t.name;  // unmapped: keeps its GGUF name
    int64_t heads = 0;
    for (const auto& [g, h] : kGlobalNames) {
      if (t.name == g) hf = h;
    }
    std::smatch m;
    if (std::regex_match(t.name, m, layer_re)) {
      for (size_t i = 0; i < a.n_layer_names; ++i) {
        const auto& [g, h] = a.layer_names[i];
        if (m[2] != g) continue;
        hf = str("model.layers.", m[1].str(), ".", h, ".", m[3].str());
        if (a.permuted_qk) {  // weights and biases alike, as convert_hf_to_gguf.py permuted both
          if (m[2] == "attn_q") heads = n_head;
          if (m[2] == "attn_k") heads = n_kv;
        }
      }
    }
    const float subtract = is_norm_weight(hf) ? a.norm_shift : 0.0f;
    check_input(out.emplace(hf, GgufWeight{t.name, heads, subtract}).second, f.path(), ": tensor '",
                printable(t.name), "' maps to '", hf, "', which another tensor also gives");
  }
  return out;
}

}  // namespace traitlab
