#pragma once
// Multi-option scoring in one forward pass: every option of a shared
// context is packed into one row after the context (layout and mask:
// packed_layout.h), so K options cost one pass over C + sum_k (L_k - 1)
// tokens instead of K passes over C + L_k - 1 (score_continuation) or a
// context pass plus a K-row batch from a forked KV cache (score_options).
// Several sets are batched as right-padded rows. The scored hidden states
// are gathered and go through fused_logprob (no [tokens, vocab] logits).
//
// Result: the same sums as scoring each [context + option] on its own,
// up to float rounding (tests/core/packed_options_test.cpp: float32 within
// 1e-4, bfloat16 within 5e-2 + 2e-3 |sum| on summed log-probs; docs/kernels.md).
//
// Exact only where every query sees what it would see unpacked. Not so for
// sliding-window layers once a row is longer than the window (the decoder's
// window counts slots, not positions): packing_is_exact() says when, and
// score_packed_options throws InputError there.
#include <cstdint>
#include <vector>

#include "core/model/decoder.h"
#include "core/ops/packed_layout.h"

namespace traitlab {

struct PackedOptionScore {
  double logprob_sum = 0.0;
  int64_t n_tokens = 0;
  std::vector<double> token_logprobs;
};

// Whether packing `set` gives what unpacked scoring gives for this model.
bool packing_is_exact(const ModelConfig& cfg, const OptionSet& set);

// Per set, per option. Throws InputError for an empty context, an empty
// option, no options, a context + option beyond max_position_embeddings,
// or a set for which packing_is_exact() is false.
std::vector<std::vector<PackedOptionScore>> score_packed_options(DecoderModel& model,
                                                                 const std::vector<OptionSet>& sets,
                                                                 const HookSet* hooks = nullptr);

}  // namespace traitlab
