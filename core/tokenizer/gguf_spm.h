#pragma once
// tokenizer.ggml.model "llama": a SentencePiece vocabulary (tokens, scores,
// token types, <0xNN> byte tokens) as the BPE tokenizer.json that
// transformers builds from the same GGUF file
// (integrations/gguf/gguf_tokenizer_mapping.py), so that ids match it:
//  - GGUF files carry no merges; they are recovered from the vocabulary
//    (every split of a token into two vocab tokens), ranked best-first by
//    the token's score, or, for Gemma, by the token's position in the file.
//  - The layout (normalizer, pre-tokenizer, decoder, unk token) is the one
//    of the transformers class that architecture maps to (a table in
//    gguf_spm.cpp): GemmaTokenizer for gemma/gemma2/gemma3, the phi3 rebuild,
//    LlamaTokenizer for every other architecture.
//  - Control tokens (type 3) become special added tokens, user-defined ones
//    (type 4) plain added tokens; BOS/EOS come from add_bos_token (default
//    true) / add_eos_token through a TemplateProcessing post-processor.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/io/gguf.h"

namespace traitlab {

nlohmann::json gguf_spm_tokenizer_json(const GgufFile& f);

// The merges a vocabulary implies, as transformers' generate_merges ranks
// them: a token's splits (at code point boundaries, both halves in the
// vocab) ordered by the token's score (higher first), then longer left half
// first; ties keep vocabulary order. A repeated token counts at its last
// position with its last score. Pairs of token indices into `tokens`.
std::vector<std::pair<int32_t, int32_t>> spm_generate_merges(const std::vector<std::string>& tokens,
                                                             const std::vector<double>& scores);

}  // namespace traitlab
