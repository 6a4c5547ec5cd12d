#include "core/ops/packed_options.h"

#include "core/model/linear.h"
#include "core/ops/device_dispatch.h"
#include "core/ops/fused_logprob.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

bool any_window_layer(const ModelConfig& cfg) {
  for (int64_t i = 0; i < cfg.n_layer; ++i)
    if (cfg.layer_uses_window(i)) return true;
  return false;
}

// The model's logits() adds an lm_head adapter's term; fused_logprob sees
// only the weight, so such a model takes the logits path.
bool head_has_adapter(DecoderModel& model) {
  for (const auto& item : model->named_children()) {
    if (item.key() != "lm_head") continue;
    auto proj = std::dynamic_pointer_cast<ProjectionImpl>(item.value());
    return proj && proj->adapter;
  }
  return false;
}

// Log-probs of targets [N] under hidden states h [N, H], float32.
torch::Tensor token_logprobs(DecoderModel& model, const torch::Tensor& h,
                             const torch::Tensor& targets) {
  const bool fused_ok = !h.is_cuda() || built_with_cuda_kernels();
  if (fused_ok && !head_has_adapter(model) && model->logits_are_linear()) {
    return fused_logprob(h, model->lm_head_weight(), targets);
  }
  const torch::Tensor logits = model->logits(h);  // float32 [N, V]
  return logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1) - torch::logsumexp(logits, -1);
}

}  // namespace

bool packing_is_exact(const ModelConfig& cfg, const OptionSet& set) {
  // A row no longer than the window is never cut by it.
  return !any_window_layer(cfg) || packed_length(set) <= *cfg.sliding_window;
}

std::vector<std::vector<PackedOptionScore>> score_packed_options(DecoderModel& model,
                                                                 const std::vector<OptionSet>& sets,
                                                                 const HookSet* hooks) {
  const ModelConfig& cfg = model->config();
  const PackedBatch pb = pack_option_sets(sets, cfg.max_position_embeddings);
  for (size_t b = 0; b < sets.size(); ++b) {
    check_input(packing_is_exact(cfg, sets[b]), "packed options: set ", b, " packs into ",
                packed_length(sets[b]), " slots, more than the model's sliding window (",
                cfg.sliding_window.value_or(0),
                "); packing would change what window layers see: score it unpacked");
  }
  torch::NoGradGuard no_grad;
  const torch::Device dev = model->device();
  ForwardArgs args;
  args.tokens = pb.tokens.to(dev);
  args.positions = pb.positions.to(dev);
  args.attn_mask = pb.attn_mask.to(dev);
  args.hooks = hooks;
  const torch::Tensor hidden = model->forward_hidden(args);  // [B, T, H]
  const torch::Tensor h = hidden.reshape({-1, hidden.size(-1)}).index_select(0, pb.rows.to(dev));
  const torch::Tensor lp =
      token_logprobs(model, h, pb.targets.to(dev)).to(torch::kCPU, torch::kFloat64).contiguous();
  const double* p = lp.data_ptr<double>();

  std::vector<std::vector<PackedOptionScore>> out(sets.size());
  for (size_t b = 0; b < sets.size(); ++b) {
    for (size_t k = 0; k < sets[b].options.size(); ++k) {
      PackedOptionScore s;
      const int64_t first = pb.first[b][k];
      const int64_t n = static_cast<int64_t>(sets[b].options[k].size());
      s.token_logprobs.assign(p + first, p + first + n);
      for (double v : s.token_logprobs) s.logprob_sum += v;
      s.n_tokens = n;
      out[b].push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace traitlab
