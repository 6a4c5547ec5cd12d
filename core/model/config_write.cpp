// ModelConfig -> config.json. Starts from the parsed file so keys traitlab
// does not interpret survive a save; every interpreted key is rewritten with
// the current value, in the form (rope_parameters vs rope_scaling, dtype vs
// torch_dtype) that the original file used.
#include "core/model/config.h"

namespace traitlab {

namespace {

nlohmann::json rope_json(const ModelConfig& c, bool with_theta) {
  nlohmann::json r = nlohmann::json::object();
  r["rope_type"] = c.rope_scaling.type;
  if (with_theta) r["rope_theta"] = c.rope_theta;
  if (c.rope_scaling.type == "linear" || c.rope_scaling.type == "llama3") {
    r["factor"] = c.rope_scaling.factor;
  }
  if (c.rope_scaling.type == "llama3") {
    r["low_freq_factor"] = c.rope_scaling.low_freq_factor;
    r["high_freq_factor"] = c.rope_scaling.high_freq_factor;
    r["original_max_position_embeddings"] = c.rope_scaling.original_max_position_embeddings;
  }
  return r;
}

const char* architecture(Family f) {
  switch (f) {
    case Family::Llama:
      return "LlamaForCausalLM";
    case Family::Mistral:
      return "MistralForCausalLM";
    case Family::Qwen2:
      return "Qwen2ForCausalLM";
    case Family::Gpt2:
      return "GPT2LMHeadModel";
    case Family::Gemma3:
      return "Gemma3ForCausalLM";
  }
  return "";
}

template <typename T>
nlohmann::json optional_json(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json ModelConfig::to_json() const {
  nlohmann::json j = raw.is_object() ? raw : nlohmann::json::object();
  j["model_type"] = model_type.empty() ? family_name(family) : model_type;
  if (!j.contains("architectures")) j["architectures"] = {architecture(family)};
  j["vocab_size"] = vocab_size;
  j["tie_word_embeddings"] = tie_word_embeddings;
  if (family == Family::Gpt2) {
    j["n_embd"] = hidden_size;
    j["n_layer"] = n_layer;
    j["n_head"] = n_head;
    j["n_positions"] = max_position_embeddings;
    j["n_inner"] = intermediate_size;
    j["layer_norm_epsilon"] = norm_eps;
    j["activation_function"] = hidden_act;
    j["scale_attn_weights"] = scale_attn_weights;
    j["scale_attn_by_inverse_layer_idx"] = scale_attn_by_inverse_layer_idx;
  } else {
    j["hidden_size"] = hidden_size;
    j["intermediate_size"] = intermediate_size;
    j["num_hidden_layers"] = n_layer;
    j["num_attention_heads"] = n_head;
    j["num_key_value_heads"] = n_kv_head;
    j["head_dim"] = head_dim;
    j["max_position_embeddings"] = max_position_embeddings;
    j["rms_norm_eps"] = norm_eps;
    j[family == Family::Gemma3 ? "hidden_activation" : "hidden_act"] = hidden_act;
    if (family == Family::Gemma3 && j.contains("rope_parameters")) {
      j["rope_parameters"] = {
          {"full_attention", rope_json(*this, true)},
          {"sliding_attention",
           {{"rope_type", "default"}, {"rope_theta", rope_local_theta.value_or(10000.0)}}}};
      j.erase("rope_scaling");
      j.erase("rope_theta");
      j.erase("rope_local_base_freq");
    } else if (j.contains("rope_parameters")) {
      j["rope_parameters"] = rope_json(*this, true);
      j.erase("rope_scaling");
      j.erase("rope_theta");
    } else {
      j["rope_theta"] = rope_theta;
      j["rope_scaling"] =
          rope_scaling.type == "default" ? nlohmann::json(nullptr) : rope_json(*this, false);
    }
    if (family == Family::Llama) {
      j["attention_bias"] = attention_bias;
      j["mlp_bias"] = mlp_bias;
    }
    if (family == Family::Mistral) j["sliding_window"] = optional_json(sliding_window);
    if (family == Family::Gemma3) {
      if (!j.contains("rope_parameters"))
        j["rope_local_base_freq"] = rope_local_theta.value_or(10000.0);
      j["attention_bias"] = attention_bias;
      j["query_pre_attn_scalar"] = optional_json(query_pre_attn_scalar);
      j["attn_logit_softcapping"] = optional_json(attn_logit_softcapping);
      j["final_logit_softcapping"] = optional_json(final_logit_softcapping);
      j["sliding_window"] = optional_json(sliding_window);
      nlohmann::json types = nlohmann::json::array();
      for (int64_t i = 0; i < n_layer; ++i) {
        types.push_back(!sliding_layers.empty() && sliding_layers[static_cast<size_t>(i)]
                            ? "sliding_attention"
                            : "full_attention");
      }
      j["layer_types"] = types;
    }
    if (family == Family::Qwen2) {
      j["use_sliding_window"] = sliding_window.has_value();
      if (sliding_window) {
        j["sliding_window"] = *sliding_window;
        nlohmann::json types = nlohmann::json::array();
        for (int64_t i = 0; i < n_layer; ++i) {
          types.push_back(layer_uses_window(i) ? "sliding_attention" : "full_attention");
        }
        j["layer_types"] = types;
      }
    }
  }
  j["bos_token_id"] = optional_json(bos_token_id);
  j["pad_token_id"] = optional_json(pad_token_id);
  if (eos_token_ids.empty()) {
    j["eos_token_id"] = nullptr;
  } else if (eos_token_ids.size() == 1) {
    j["eos_token_id"] = eos_token_ids[0];
  } else {
    j["eos_token_id"] = eos_token_ids;
  }
  j[j.contains("dtype") && !j.contains("torch_dtype") ? "dtype" : "torch_dtype"] = torch_dtype;
  return j;
}

}  // namespace traitlab
