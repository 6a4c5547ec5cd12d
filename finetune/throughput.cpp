#include "finetune/throughput.h"

#include <cmath>

namespace traitlab {

int64_t matmul_params(const ModelConfig& cfg) {
  const int64_t h = cfg.hidden_size, q = cfg.n_head * cfg.head_dim,
                kv = cfg.n_kv_head * cfg.head_dim;
  const int64_t attn = 2 * h * q + 2 * h * kv;  // q, o; k, v
  const int64_t mlp = (cfg.family == Family::Gpt2 ? 2 : 3) * h * cfg.intermediate_size;
  return cfg.n_layer * (attn + mlp) + cfg.vocab_size * h;
}

double train_flops_per_token(const ModelConfig& cfg, int64_t seq_len) {
  return 6.0 * static_cast<double>(matmul_params(cfg)) +
         12.0 * static_cast<double>(cfg.n_layer) * static_cast<double>(cfg.n_head * cfg.head_dim) *
             static_cast<double>(seq_len);
}

double model_flops_utilisation(double flops_per_token, int64_t tokens, double seconds,
                               double peak_flops) {
  if (!(peak_flops > 0) || !(seconds > 0)) return std::nan("");
  return flops_per_token * static_cast<double>(tokens) / seconds / peak_flops;
}

}  // namespace traitlab
