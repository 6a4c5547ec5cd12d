#pragma once
// Batched text generation with a KV cache. Prompts of different lengths are
// left-padded into one batch; positions count from each prompt's first real
// token and an attention mask hides the pads, so a row's result does not
// depend on what it is batched with (up to float rounding). Each request
// samples from its own seeded RngStream.
//
// A request stops at the first of: an EOS id (kept in token_ids, not in
// text), a stop string in the decoded text (text is cut before it; token_ids
// keep the token that completed it), or max_new_tokens.
#include <cstdint>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/model/decoder.h"
#include "core/ops/sampling.h"
#include "core/tokenizer/tokenizer.h"

namespace traitlab {

struct GenerateOptions {
  int64_t max_new_tokens = 64;
  SamplingParams sampling;          // temperature 0 = greedy
  std::vector<std::string> stop;    // stop strings, matched on decoded text
  std::vector<int64_t> eos_ids;     // generation ends when one is produced
  bool skip_special_tokens = true;  // when decoding the returned text
  int64_t pad_id = 0;               // any valid id; pads are masked out
};

struct GenerateRequest {
  std::vector<int32_t> prompt_ids;
  uint64_t seed = 0;
};

struct GenerateResult {
  std::vector<int32_t> token_ids;  // generated tokens only
  std::string text;                // decoded, cut before a stop string
  std::string finish_reason;       // "eos", "stop" or "length"
};

std::vector<GenerateResult> generate(DecoderModel& model, const Tokenizer& tok,
                                     const std::vector<GenerateRequest>& requests,
                                     const GenerateOptions& opts, const HookSet* hooks = nullptr);

// Token ids only (no tokenizer: text stays empty and stop strings are an
// InputError), for models without a tokenizer and callers that decode later.
std::vector<GenerateResult> generate_ids(DecoderModel& model,
                                         const std::vector<GenerateRequest>& requests,
                                         const GenerateOptions& opts,
                                         const HookSet* hooks = nullptr);

// The ids that end a reply for this checkpoint: config.json's eos_token_id(s),
// generation_config.json's eos_token_id(s) when present, and the end-of-turn
// token of the chat format (<|eot_id|>, <|im_end|>, </s>) when in the vocab.
std::vector<int64_t> default_eos_ids(const Checkpoint& ck);

}  // namespace traitlab
