#pragma once
// Training objectives on token log-probabilities from the fused
// log-prob op (core/ops/fused_logprob.h: the [tokens, vocab] logits are
// never materialised).
//   SFT: summed NLL of the loss tokens; the trainer divides by the number
//        of loss tokens of the whole accumulated batch (TRL/transformers'
//        num_items_in_batch), so gradient accumulation does not change the loss.
//   DPO: loss = -log sigmoid(beta [(pi_c - ref_c) - (pi_r - ref_r)]) per
//        pair, pi/ref = per-sequence log-probs summed over completion tokens.
#include <torch/torch.h>

#include "core/model/decoder.h"
#include "finetune/batch.h"

namespace traitlab {

// log p(labels[:, t+1] | ids[:, :t+1]), [rows, time-1] float32, 0 where the
// label is -100. Differentiable with respect to the model's parameters.
torch::Tensor token_logps(DecoderModel& model, const TokenBatch& batch);
// Summed over each row's loss tokens, [rows].
torch::Tensor sequence_logps(DecoderModel& model, const TokenBatch& batch);

// Summed negative log-likelihood of the batch's loss tokens (a scalar).
torch::Tensor sft_nll_sum(DecoderModel& model, const TokenBatch& batch);

struct DpoTerms {
  torch::Tensor losses;            // [pairs]
  torch::Tensor chosen_rewards;    // beta (pi_c - ref_c), detached
  torch::Tensor rejected_rewards;  // beta (pi_r - ref_r), detached
};
DpoTerms dpo_loss(const torch::Tensor& policy_chosen, const torch::Tensor& policy_rejected,
                  const torch::Tensor& ref_chosen, const torch::Tensor& ref_rejected, double beta);

}  // namespace traitlab
