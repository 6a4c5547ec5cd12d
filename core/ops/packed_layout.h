#pragma once
// The packed layout of multi-option scoring (packed_options.h): a shared
// context and all its options in one row,
//
//   slots      c0 .. c{C-1} | a0 .. a{La-2} | b0 .. b{Lb-2} | ... | pad ...
//   positions  0  .. C-1    | C  .. C+La-2  | C  .. C+Lb-2  | ... | 0
//   segment    0            | 1             | 2             | ... | -1
//
// Each option keeps all but its last token (the last token predicts nothing
// that is scored). Positions restart at C for every option, so each option
// is positioned as if it directly followed the context. The attention mask
// lets a query see keys of its own segment and, for option tokens, the
// context; the decoder ANDs it with the causal mask. Pads only see pads.
// Option k's first token is predicted from slot C-1 (the last context
// token), its token j > 0 from the slot of its token j-1.
//
// Pure bookkeeping on CPU tensors, no model: tested on its own.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace traitlab {

// A shared context and its K >= 1 continuations (token ids).
struct OptionSet {
  std::vector<int32_t> context;
  std::vector<std::vector<int32_t>> options;
};

// Slots one set occupies: C + sum_k (L_k - 1).
int64_t packed_length(const OptionSet& set);

struct PackedBatch {
  torch::Tensor tokens;     // [B, T] int64, right padded with 0
  torch::Tensor positions;  // [B, T] int64
  torch::Tensor attn_mask;  // [B, T, T] bool (true = may attend), before the causal AND
  // One entry per scored token, in set, option, token order:
  torch::Tensor rows;     // [N] int64, flat index b * T + slot of the predicting hidden state
  torch::Tensor targets;  // [N] int64, the token scored there
  // first[b][k]: index into rows/targets of option k's first token of set b;
  // option k has options[k].size() entries.
  std::vector<std::vector<int64_t>> first;
};

// Throws InputError (naming the set and option) for a set with an empty
// context, no options or an empty option, and when a context plus its
// longest option needs a position >= max_positions.
PackedBatch pack_option_sets(const std::vector<OptionSet>& sets, int64_t max_positions);

}  // namespace traitlab
