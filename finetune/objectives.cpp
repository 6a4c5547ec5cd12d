#include "finetune/objectives.h"

#include "core/ops/fused_logprob.h"
#include "core/util/error.h"

namespace traitlab {

torch::Tensor token_logps(DecoderModel& model, const TokenBatch& batch) {
  check_input(batch.ids.size(1) >= 2, "token_logps: sequences need at least 2 tokens");
  ForwardArgs args;
  args.tokens = batch.ids;
  const torch::Tensor h = model->forward_hidden(args);
  const torch::Tensor targets = batch.labels.slice(1, 1).to(h.device());
  const torch::Tensor hp = h.slice(1, 0, h.size(1) - 1);
  if (!model->logits_are_linear()) {
    // Soft-capped logits: no fused kernel; materialise them. Ignored labels
    // (kIgnoreIndex) give 0, as in fused_logprob.
    const torch::Tensor lp = torch::log_softmax(model->logits(hp), -1);
    const torch::Tensor valid = targets != kIgnoreIndex;
    const torch::Tensor safe = torch::where(valid, targets, torch::zeros_like(targets));
    return lp.gather(-1, safe.unsqueeze(-1)).squeeze(-1) * valid;
  }
  return fused_logprob(hp, model->lm_head_weight(), targets);
}

torch::Tensor sequence_logps(DecoderModel& model, const TokenBatch& batch) {
  return token_logps(model, batch).sum(1);
}

torch::Tensor sft_nll_sum(DecoderModel& model, const TokenBatch& batch) {
  return -token_logps(model, batch).sum();
}

DpoTerms dpo_loss(const torch::Tensor& policy_chosen, const torch::Tensor& policy_rejected,
                  const torch::Tensor& ref_chosen, const torch::Tensor& ref_rejected, double beta) {
  check_input(policy_chosen.sizes() == policy_rejected.sizes() &&
                  policy_chosen.sizes() == ref_chosen.sizes() &&
                  policy_chosen.sizes() == ref_rejected.sizes(),
              "dpo_loss: policy and reference log-probs must have one shape");
  const torch::Tensor chosen = policy_chosen - ref_chosen;
  const torch::Tensor rejected = policy_rejected - ref_rejected;
  DpoTerms t;
  t.losses = -torch::log_sigmoid(beta * (chosen - rejected));
  t.chosen_rewards = (beta * chosen).detach();
  t.rejected_rewards = (beta * rejected).detach();
  return t;
}

}  // namespace traitlab
