#pragma once
// Padded batches. Rows are right-padded (as TRL's collators do), so with the
// causal mask no real token sees a pad and no attention mask is needed; pad
// positions get label -100.
#include <torch/torch.h>

#include <vector>

#include "finetune/data.h"

namespace traitlab {

struct TokenBatch {
  torch::Tensor ids;     // [rows, time] int64
  torch::Tensor labels;  // [rows, time] int64, -100 = no loss (unshifted)
  // Loss tokens after the one-position shift (labels[:, 1:] != -100).
  int64_t n_loss_tokens() const;
};

// Rows `index` of `data`, padded with `pad_id`.
TokenBatch collate_sft(const std::vector<SftExample>& data, const std::vector<int64_t>& index,
                       int64_t pad_id);
// All chosen rows (prompt + chosen) then all rejected rows, labels only on
// the completions: row i and row i + n form pair i.
TokenBatch collate_preference(const std::vector<PreferenceExample>& data,
                              const std::vector<int64_t>& index, int64_t pad_id);

}  // namespace traitlab
