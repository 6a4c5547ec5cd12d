#pragma once
// Log-likelihood of continuations given a context, with lm-evaluation-harness's
// tokenisation rule (lm_eval 0.4.x HFLM.loglikelihood / TemplateLM._encode_pair):
//   1. trailing whitespace of the context moves to the start of the continuation;
//   2. context_ids      = encode(context)
//      whole_ids        = encode(context + continuation)
//      continuation_ids = whole_ids[len(context_ids):]
//      (the scored sequence is context_ids + continuation_ids, even where the
//      two tokenisations disagree at the boundary, exactly as lm-eval does);
//   3. encode() adds special tokens (BOS) as the HF tokenizer does by default
//      (lm-eval's add_bos_token=None), except when the text already starts
//      with the BOS text;
//   4. an empty context becomes [prefix_token_id] and the continuation is
//      encoded without special tokens (if it already starts with that token,
//      its first token is the context instead).
// Each continuation token's log-prob comes from the logits one position
// earlier; is_greedy is true when every continuation token is the argmax.
//
// score_options() evaluates a shared context once into a KV cache and scores
// every option from a batched fork of it (llama.cpp's multiple-choice design),
// instead of one full forward pass per option as lm-eval does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/model/decoder.h"
#include "core/tokenizer/tokenizer.h"

namespace traitlab {

struct EncodedPair {
  std::vector<int32_t> context;
  std::vector<int32_t> continuation;
};

// lm-eval's encoding of (context, continuation); see the rule above.
// prefix_token_id is used only for an empty context.
EncodedPair encode_pair(const Tokenizer& tok, const std::string& context,
                        const std::string& continuation, int32_t prefix_token_id);

// lm-eval's prefix_token_id: the tokenizer's BOS (the token its
// post-processor prepends, else config bos_token_id), else the first EOS id.
int32_t default_prefix_token_id(const Tokenizer& tok, const ModelConfig& cfg);
// The same for a checkpoint directory, as HF's tokenizer sees it:
// tokenizer_config.json's bos_token, else its eos_token (Qwen2-Instruct has
// no BOS and eos <|im_end|>), else the rule above.
int32_t default_prefix_token_id(const Checkpoint& ck);

struct OptionScore {
  double logprob_sum = 0.0;
  std::vector<double> token_logprobs;
  int64_t n_tokens = 0;
  bool is_greedy = true;  // vacuously true for an empty continuation
};

// One forward pass over context + continuation (the unshared reference).
// The context must not be empty.
OptionScore score_continuation(DecoderModel& model, const std::vector<int32_t>& context_ids,
                               const std::vector<int32_t>& continuation_ids,
                               const HookSet* hooks = nullptr);

// Shared-prefix scoring: the context runs once into a KV cache, the options
// run as one right-padded batch from an expanded fork of it. The first token
// of every option is scored with the logits at the last context position.
std::vector<OptionScore> score_options(DecoderModel& model, const std::vector<int32_t>& context_ids,
                                       const std::vector<std::vector<int32_t>>& option_ids,
                                       const HookSet* hooks = nullptr);

// Convenience: lm-eval encoding of every (context, option) pair, then
// scoring. Options whose encoded contexts agree share one context pass (the
// usual case); otherwise each is scored on its own. prefix_token_id (for an
// empty context) defaults to default_prefix_token_id(tok, model config).
std::vector<OptionScore> loglikelihood_options(DecoderModel& model, const Tokenizer& tok,
                                               const std::string& context,
                                               const std::vector<std::string>& options,
                                               const HookSet* hooks = nullptr,
                                               std::optional<int32_t> prefix_token_id = {});

}  // namespace traitlab
