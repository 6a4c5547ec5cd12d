// config.json parsing for the supported decoder families. Key names and
// defaults follow transformers' LlamaConfig, MistralConfig, Qwen2Config and
// GPT2Config; sizes that every real checkpoint writes are required.
#include "core/model/config.h"

#include <cmath>

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

std::string family_name(Family f) {
  switch (f) {
    case Family::Llama:
      return "llama";
    case Family::Mistral:
      return "mistral";
    case Family::Qwen2:
      return "qwen2";
    case Family::Gpt2:
      return "gpt2";
    case Family::Gemma3:
      return "gemma3_text";
  }
  return "unknown";
}

namespace {

Family parse_family(const std::string& model_type, const std::string& where) {
  if (model_type == "llama") return Family::Llama;
  if (model_type == "mistral") return Family::Mistral;
  if (model_type == "qwen2") return Family::Qwen2;
  if (model_type == "gpt2") return Family::Gpt2;
  if (model_type == "gemma3_text") return Family::Gemma3;
  if (model_type == "gemma3") {
    throw UnsupportedError(
        str(where,
            ": model_type 'gemma3' is the multimodal Gemma3ForConditionalGeneration; only the "
            "text decoder is supported: use a Gemma3ForCausalLM checkpoint (model_type "
            "'gemma3_text', e.g. gemma-3-270m or gemma-3-1b)"));
  }
  throw UnsupportedError(
      str(where, ": model_type '", model_type,
          "' is not supported (supported: llama, mistral, qwen2, gpt2, gemma3_text)"));
}

std::optional<int64_t> optional_int(const nlohmann::json& j, const std::string& key,
                                    const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return get_field<int64_t>(j, key, where);
}

// Upper bounds far above any real model, checked as soon as a count is read,
// so that a corrupt or hostile config.json fails with its key instead of as
// a signed overflow (4 * n_embd), an endless loop over layers, or a
// multi-terabyte allocation later. Token ids are int32, hence vocab_size.
constexpr int64_t kMaxVocab = 2147483647;
constexpr int64_t kMaxWidth = int64_t{1} << 20;  // hidden, intermediate, head_dim
constexpr int64_t kMaxCount = int64_t{1} << 14;  // layers, heads
constexpr int64_t kMaxPositions = int64_t{1} << 30;

int64_t bounded(int64_t v, int64_t max, const char* key, const std::string& where) {
  check_input(v > 0 && v <= max, where, ": key '", key, "': must be 1..", max, ", got ", v);
  return v;
}

int64_t bounded_field(const nlohmann::json& j, const char* key, int64_t max,
                      const std::string& where) {
  return bounded(get_field<int64_t>(j, key, where), max, key, where);
}

// A positive finite double (RoPE bases and factors; 0 or less gives inf/NaN
// frequencies that would silently turn every score into NaN).
double positive_double(const nlohmann::json& j, const char* key, const std::string& where) {
  const double v = get_field<double>(j, key, where);
  check_input(std::isfinite(v) && v > 0, where, ": key '", key, "': must be positive, got ", v);
  return v;
}

// eos_token_id: absent, null, an integer or a list of integers.
std::vector<int64_t> parse_eos(const nlohmann::json& j, const std::string& where) {
  auto it = j.find("eos_token_id");
  if (it == j.end() || it->is_null()) return {};
  if (it->is_number_integer()) return {it->get<int64_t>()};
  check_input(it->is_array(), where, ": key 'eos_token_id': expected an integer or a list, got ",
              it->dump().substr(0, 80));
  std::vector<int64_t> ids;
  for (const auto& v : *it) {
    check_input(v.is_number_integer(), where,
                ": key 'eos_token_id': expected a list of integers, got ",
                it->dump().substr(0, 80));
    ids.push_back(v.get<int64_t>());
  }
  return ids;
}

void parse_rope_params(const nlohmann::json& params, const std::string& w, ModelConfig& c);

// Reads rope_theta and the scaling from either the older top-level
// rope_theta + rope_scaling keys or transformers 5's rope_parameters.
void parse_rope(const nlohmann::json& j, const std::string& where, ModelConfig& c) {
  c.rope_theta = j.contains("rope_theta") && !j["rope_theta"].is_null()
                     ? positive_double(j, "rope_theta", where)
                     : 10000.0;
  const nlohmann::json* params = nullptr;
  std::string key = "rope_scaling";
  if (j.contains("rope_parameters") && !j["rope_parameters"].is_null()) {
    key = "rope_parameters";
    params = &j["rope_parameters"];
  } else if (j.contains("rope_scaling") && !j["rope_scaling"].is_null()) {
    params = &j["rope_scaling"];
  }
  if (params) parse_rope_params(*params, str(where, ": ", key), c);
}

// One rope_scaling / rope_parameters object: its rope_theta (if given)
// overrides c.rope_theta; the scaling goes to c.rope_scaling.
void parse_rope_params(const nlohmann::json& params, const std::string& w, ModelConfig& c) {
  check_input(params.is_object(), w, ": expected an object");
  if (params.contains("rope_theta") && !params["rope_theta"].is_null())
    c.rope_theta = positive_double(params, "rope_theta", w);
  std::string type = get_field_or<std::string>(params, "rope_type", "", w);
  if (type.empty()) type = get_field_or<std::string>(params, "type", "default", w);
  double partial = get_field_or<double>(params, "partial_rotary_factor", 1.0, w);
  if (partial != 1.0) throw UnsupportedError(str(w, ": partial_rotary_factor is not supported"));
  RopeScaling& r = c.rope_scaling;
  r.type = type;
  if (type == "default") return;
  if (type == "linear") {
    r.factor = positive_double(params, "factor", w);
    return;
  }
  if (type == "llama3") {
    r.factor = positive_double(params, "factor", w);
    r.low_freq_factor = positive_double(params, "low_freq_factor", w);
    r.high_freq_factor = positive_double(params, "high_freq_factor", w);
    r.original_max_position_embeddings =
        bounded(get_field_or<int64_t>(params, "original_max_position_embeddings",
                                      c.max_position_embeddings, w),
                kMaxPositions, "original_max_position_embeddings", w);
    check_input(r.high_freq_factor != r.low_freq_factor, w,
                ": high_freq_factor must differ from low_freq_factor");
    return;
  }
  throw UnsupportedError(
      str(w, ": rope_type '", type, "' is not supported (supported: default, linear, llama3)"));
}

// The size keys every Hugging Face decoder config except gpt2's spells the same way.
void parse_sizes(const nlohmann::json& j, const std::string& where, ModelConfig& c) {
  c.vocab_size = bounded_field(j, "vocab_size", kMaxVocab, where);
  c.hidden_size = bounded_field(j, "hidden_size", kMaxWidth, where);
  c.intermediate_size = bounded_field(j, "intermediate_size", kMaxWidth, where);
  c.n_layer = bounded_field(j, "num_hidden_layers", kMaxCount, where);
  c.n_head = bounded_field(j, "num_attention_heads", kMaxCount, where);
  c.n_kv_head = bounded(optional_int(j, "num_key_value_heads", where).value_or(c.n_head), kMaxCount,
                        "num_key_value_heads", where);
}

void parse_llama_like(const nlohmann::json& j, const std::string& where, ModelConfig& c) {
  parse_sizes(j, where, c);
  auto head_dim = optional_int(j, "head_dim", where);
  if (head_dim) bounded(*head_dim, kMaxWidth, "head_dim", where);
  if (!head_dim) {
    check_input(c.n_head > 0 && c.hidden_size % c.n_head == 0, where, ": hidden_size ",
                c.hidden_size, " is not divisible by num_attention_heads ", c.n_head);
  }
  c.head_dim = head_dim.value_or(c.n_head > 0 ? c.hidden_size / c.n_head : 0);
  c.max_position_embeddings =
      bounded(get_field_or<int64_t>(j, "max_position_embeddings", 2048, where), kMaxPositions,
              "max_position_embeddings", where);
  c.norm_eps = get_field_or<double>(j, "rms_norm_eps", 1e-6, where);
  c.hidden_act = get_field_or<std::string>(j, "hidden_act", "silu", where);
  c.tie_word_embeddings = get_field_or<bool>(j, "tie_word_embeddings", false, where);
  parse_rope(j, where, c);
  if (c.family == Family::Llama) {
    c.attention_bias = get_field_or<bool>(j, "attention_bias", false, where);
    c.o_bias = c.attention_bias;  // LlamaAttention gives o_proj the same bias flag
    c.mlp_bias = get_field_or<bool>(j, "mlp_bias", false, where);
  } else if (c.family == Family::Qwen2) {
    c.attention_bias = true;  // Qwen2Attention: q/k/v always biased, o never
    bool use_window = get_field_or<bool>(j, "use_sliding_window", false, where);
    c.sliding_window =
        use_window ? optional_int(j, "sliding_window", where) : std::optional<int64_t>();
    if (c.sliding_window) {
      int64_t from = get_field_or<int64_t>(j, "max_window_layers", 28, where);
      for (int64_t i = 0; i < c.n_layer; ++i) c.sliding_layers.push_back(i >= from);
    }
  } else if (c.family == Family::Mistral) {
    c.sliding_window = optional_int(j, "sliding_window", where);
  }
  // transformers 5 may write the per-layer attention kinds explicitly.
  if (c.sliding_window && j.contains("layer_types") && j["layer_types"].is_array() &&
      c.family == Family::Qwen2) {
    const auto& lt = j["layer_types"];
    check_input(static_cast<int64_t>(lt.size()) == c.n_layer, where,
                ": key 'layer_types': expected ", c.n_layer, " entries, got ", lt.size());
    c.sliding_layers.clear();
    for (const auto& t : lt) {
      check_input(t.is_string(), where, ": key 'layer_types': expected strings");
      c.sliding_layers.push_back(t.get<std::string>() == "sliding_attention");
    }
  }
  if (c.sliding_window) {
    check_input(*c.sliding_window > 0, where, ": key 'sliding_window': must be positive, got ",
                *c.sliding_window);
  }
}

// Gemma3TextConfig (transformers 5.25): defaults as there (head_dim 256,
// query_pre_attn_scalar 256, sliding_window 4096, every 6th layer full,
// rope bases 1e6 full / 1e4 sliding, tied head). Both the Hub's older keys
// (rope_theta, rope_local_base_freq, rope_scaling, sliding_window_pattern)
// and transformers 5's per-layer-type rope_parameters are read.
void parse_gemma3(const nlohmann::json& j, const std::string& where, ModelConfig& c) {
  parse_sizes(j, where, c);
  c.head_dim =
      bounded(optional_int(j, "head_dim", where).value_or(256), kMaxWidth, "head_dim", where);
  c.max_position_embeddings =
      bounded(get_field_or<int64_t>(j, "max_position_embeddings", 131072, where), kMaxPositions,
              "max_position_embeddings", where);
  c.norm_eps = get_field_or<double>(j, "rms_norm_eps", 1e-6, where);
  c.hidden_act = get_field_or<std::string>(
      j, "hidden_activation",
      get_field_or<std::string>(j, "hidden_act", "gelu_pytorch_tanh", where), where);
  c.tie_word_embeddings = get_field_or<bool>(j, "tie_word_embeddings", true, where);
  c.attention_bias = get_field_or<bool>(j, "attention_bias", false, where);
  c.o_bias = c.attention_bias;  // Gemma3Attention: one flag for q, k, v and o
  if (get_field_or<bool>(j, "use_bidirectional_attention", false, where)) {
    throw UnsupportedError(str(where, ": use_bidirectional_attention is not supported"));
  }
  c.query_pre_attn_scalar =
      j.contains("query_pre_attn_scalar") && !j["query_pre_attn_scalar"].is_null()
          ? positive_double(j, "query_pre_attn_scalar", where)
          : 256.0;
  for (const auto& [key, out] :
       {std::pair{"attn_logit_softcapping", &c.attn_logit_softcapping},
        std::pair{"final_logit_softcapping", &c.final_logit_softcapping}}) {
    if (j.contains(key) && !j[key].is_null()) *out = positive_double(j, key, where);
  }
  c.sliding_window = j.contains("sliding_window") ? optional_int(j, "sliding_window", where)
                                                  : std::optional<int64_t>(4096);
  // Layer kinds: layer_types, else every sliding_window_pattern-th layer is full.
  if (j.contains("layer_types") && !j["layer_types"].is_null()) {
    const auto& lt = j["layer_types"];
    check_input(lt.is_array() && static_cast<int64_t>(lt.size()) == c.n_layer, where,
                ": key 'layer_types': expected a list of ", c.n_layer, " entries");
    for (const auto& t : lt) {
      const std::string kind = t.is_string() ? t.get<std::string>() : "";
      check_input(kind == "sliding_attention" || kind == "full_attention", where,
                  ": key 'layer_types': expected \"sliding_attention\" or \"full_attention\", got ",
                  t.dump().substr(0, 80));
      c.sliding_layers.push_back(kind == "sliding_attention");
    }
  } else {
    const char* key =
        j.contains("sliding_window_pattern") ? "sliding_window_pattern" : "_sliding_window_pattern";
    const int64_t pattern = j.contains(key) ? bounded_field(j, key, kMaxCount, where) : int64_t{6};
    for (int64_t i = 0; i < c.n_layer; ++i) c.sliding_layers.push_back((i + 1) % pattern != 0);
  }
  bool any_sliding = false;
  for (bool b : c.sliding_layers) any_sliding = any_sliding || b;
  if (c.sliding_window) {
    check_input(*c.sliding_window > 0, where, ": key 'sliding_window': must be positive, got ",
                *c.sliding_window);
  } else {
    check_input(!any_sliding, where,
                ": sliding_attention layers need a sliding_window (it is null)");
  }
  // Rotary bases and scaling, per layer kind.
  c.rope_theta = 1000000.0;
  c.rope_local_theta = 10000.0;
  const nlohmann::json* full = nullptr;
  const nlohmann::json* sliding = nullptr;
  std::string full_where = str(where, ": rope_scaling");
  const bool per_kind = j.contains("rope_parameters") && j["rope_parameters"].is_object() &&
                        (j["rope_parameters"].contains("full_attention") ||
                         j["rope_parameters"].contains("sliding_attention"));
  if (per_kind) {
    const auto& rp = j["rope_parameters"];
    if (rp.contains("full_attention") && !rp["full_attention"].is_null())
      full = &rp["full_attention"];
    if (rp.contains("sliding_attention") && !rp["sliding_attention"].is_null())
      sliding = &rp["sliding_attention"];
    full_where = str(where, ": rope_parameters.full_attention");
  } else {
    if (j.contains("rope_theta") && !j["rope_theta"].is_null())
      c.rope_theta = positive_double(j, "rope_theta", where);
    if (j.contains("rope_local_base_freq") && !j["rope_local_base_freq"].is_null())
      c.rope_local_theta = positive_double(j, "rope_local_base_freq", where);
    if (j.contains("rope_parameters") && !j["rope_parameters"].is_null()) {
      full = &j["rope_parameters"];
      full_where = str(where, ": rope_parameters");
    } else if (j.contains("rope_scaling") && !j["rope_scaling"].is_null()) {
      full = &j["rope_scaling"];
    }
  }
  if (full) parse_rope_params(*full, full_where, c);
  if (sliding) {
    const std::string w = str(where, ": rope_parameters.sliding_attention");
    check_input(sliding->is_object(), w, ": expected an object");
    if (sliding->contains("rope_theta") && !(*sliding)["rope_theta"].is_null())
      c.rope_local_theta = positive_double(*sliding, "rope_theta", w);
    std::string type = get_field_or<std::string>(*sliding, "rope_type", "default", w);
    if (type != "default") {
      throw UnsupportedError(str(w, ": rope_type '", type,
                                 "' is not supported for the sliding layers (supported: default)"));
    }
  }
}

void parse_gpt2(const nlohmann::json& j, const std::string& where, ModelConfig& c) {
  c.vocab_size = bounded_field(j, "vocab_size", kMaxVocab, where);
  c.hidden_size = bounded_field(j, "n_embd", kMaxWidth, where);
  c.n_layer = bounded_field(j, "n_layer", kMaxCount, where);
  c.n_head = bounded_field(j, "n_head", kMaxCount, where);
  c.n_kv_head = c.n_head;
  check_input(c.n_head > 0 && c.hidden_size % c.n_head == 0, where, ": n_embd ", c.hidden_size,
              " is not divisible by n_head ", c.n_head);
  c.head_dim = c.hidden_size / c.n_head;
  c.max_position_embeddings = bounded(get_field_or<int64_t>(j, "n_positions", 1024, where),
                                      kMaxPositions, "n_positions", where);
  c.intermediate_size = bounded(optional_int(j, "n_inner", where).value_or(4 * c.hidden_size),
                                kMaxWidth * 4, "n_inner", where);
  c.norm_eps = get_field_or<double>(j, "layer_norm_epsilon", 1e-5, where);
  c.hidden_act = get_field_or<std::string>(j, "activation_function", "gelu_new", where);
  c.tie_word_embeddings = get_field_or<bool>(j, "tie_word_embeddings", true, where);
  c.attention_bias = true;
  c.o_bias = true;
  c.mlp_bias = true;
  c.scale_attn_weights = get_field_or<bool>(j, "scale_attn_weights", true, where);
  c.scale_attn_by_inverse_layer_idx =
      get_field_or<bool>(j, "scale_attn_by_inverse_layer_idx", false, where);
  if (get_field_or<bool>(j, "add_cross_attention", false, where)) {
    throw UnsupportedError(str(where, ": add_cross_attention is not supported"));
  }
}

void validate(const ModelConfig& c, const std::string& where) {
  auto positive = [&](int64_t v, const char* name) {
    check_input(v > 0, where, ": ", name, " must be positive, got ", v);
  };
  positive(c.vocab_size, "vocab_size");
  positive(c.hidden_size, "hidden size");
  positive(c.intermediate_size, "intermediate size");
  positive(c.n_layer, "number of layers");
  positive(c.n_head, "number of attention heads");
  positive(c.n_kv_head, "num_key_value_heads");
  positive(c.head_dim, "head_dim");
  positive(c.max_position_embeddings, "max_position_embeddings");
  check_input(c.n_head % c.n_kv_head == 0, where, ": num_attention_heads ", c.n_head,
              " is not divisible by num_key_value_heads ", c.n_kv_head);
  check_input(c.family == Family::Gpt2 || c.head_dim % 2 == 0, where, ": head_dim ", c.head_dim,
              " must be even for rotary embeddings");
  check_input(c.norm_eps > 0, where, ": the norm epsilon must be positive");
  static const char* acts[] = {"silu", "swish", "gelu_new", "gelu_pytorch_tanh", "gelu", "relu"};
  bool known = false;
  for (const char* a : acts) known = known || c.hidden_act == a;
  if (!known) {
    throw UnsupportedError(str(where, ": activation '", c.hidden_act,
                               "' is not supported (supported: silu, gelu_new, "
                               "gelu_pytorch_tanh, gelu, relu)"));
  }
}

}  // namespace

ModelConfig ModelConfig::from_json(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object(), where, ": expected a JSON object");
  ModelConfig c;
  c.raw = j;
  c.model_type = get_field<std::string>(j, "model_type", where);
  c.family = parse_family(c.model_type, where);
  if (c.family == Family::Gpt2) {
    parse_gpt2(j, where, c);
  } else if (c.family == Family::Gemma3) {
    parse_gemma3(j, where, c);
  } else {
    parse_llama_like(j, where, c);
  }
  c.bos_token_id = optional_int(j, "bos_token_id", where);
  c.pad_token_id = optional_int(j, "pad_token_id", where);
  c.eos_token_ids = parse_eos(j, where);
  // transformers 5 writes "dtype", earlier versions "torch_dtype".
  c.torch_dtype = get_field_or<std::string>(j, "torch_dtype", "", where);
  if (c.torch_dtype.empty())
    c.torch_dtype = get_field_or<std::string>(j, "dtype", "float32", where);
  validate(c, where);
  return c;
}

ModelConfig ModelConfig::load(const std::string& path) {
  return from_json(read_json_file(path), path);
}

}  // namespace traitlab
