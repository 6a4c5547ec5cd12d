#pragma once
// Next-token distributions restricted to candidate tokens, and the label
// probabilities multiple-choice prompts need ("Answer:" -> A/B/C/D).
//
// A label such as "A" can be produced by several vocabulary tokens: "A",
// " A" (byte-level "ĠA"), "▁A" (SentencePiece), byte-fallback "<0x41>".
// Looking up only the bare "A" (a known pitfall of the TRAIT reference code)
// misses most of the mass when the model prefers a leading space. So a label's
// probability is the sum over all of its tokens, and the labels are then
// renormalised among themselves.
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/decoder.h"
#include "core/tokenizer/tokenizer.h"

namespace traitlab {

// Log-softmax over the full vocabulary at the last context position,
// float32 [vocab] on the model's device.
torch::Tensor next_token_logprobs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                  const HookSet* hooks = nullptr);

// The full-vocabulary log-softmax at the last context position, gathered at
// the candidate ids (so the values are not renormalised over candidates).
std::vector<double> candidate_logprobs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                       const std::vector<int32_t>& candidates,
                                       const HookSet* hooks = nullptr);

// Every non-special vocabulary token that spells `label` once leading
// whitespace and the word-start markers "▁" (U+2581) and "Ġ" (U+0120) are
// stripped, either from the raw vocab string or from the decoded text:
// for "A" that is "A", "ĠA", "▁A", "<0x41>" when present. Sorted ids.
std::vector<int32_t> label_token_ids(const Tokenizer& tok, const std::string& label);

// Variants the caller spells out ("A", " A", "A.", "(A"): each that encodes
// (without special tokens) to exactly one token contributes that token.
std::vector<int32_t> single_token_ids(const Tokenizer& tok,
                                      const std::vector<std::string>& variants);

struct LabelProbs {
  std::vector<double> mass;  // summed next-token probability of each label's tokens
  std::vector<double> prob;  // mass renormalised over the labels (sums to 1)
  double total_mass = 0.0;   // how much of the distribution the labels cover
};

// Sums probabilities over each label's token ids and renormalises over the
// labels. Token ids must be distinct across labels (InputError otherwise).
LabelProbs group_label_probs(const torch::Tensor& logprobs,
                             const std::vector<std::vector<int32_t>>& label_ids);
LabelProbs label_probs(DecoderModel& model, const std::vector<int32_t>& context_ids,
                       const std::vector<std::vector<int32_t>>& label_ids,
                       const HookSet* hooks = nullptr);

}  // namespace traitlab
