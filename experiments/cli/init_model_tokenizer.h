#pragma once
// The files init-model writes when no --vocab-from tokenizer is given: a
// byte-level BPE tokenizer.json (GPT-2 byte alphabet, so every text encodes;
// merges only for " " + letter/digit so that "A" and " A" are distinct tokens,
// as in real vocabularies) with the chat format's special tokens, padded to
// the requested vocabulary size with unreachable filler tokens. Also the
// chat templates written into tokenizer_config.json.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/tokenizer/chat_format.h"

namespace traitlab::cli {

struct SpecialTokens {
  std::optional<std::string> bos;  // prepended by the post-processor when set
  std::string eos;
  std::vector<std::string> all;  // every special token of the format, bos/eos included
};

// The special tokens a synthetic tokenizer needs for a chat format.
SpecialTokens special_tokens_for(ChatFormatKind kind);

// Smallest vocabulary the synthetic tokenizer can have for `kind`.
int64_t min_synthetic_vocab(ChatFormatKind kind);

// tokenizer.json content with exactly `vocab_size` ids.
nlohmann::json synthetic_tokenizer_json(ChatFormatKind kind, int64_t vocab_size);

// The Hugging Face Jinja chat_template of a format ("" for plain).
std::string chat_template_for(ChatFormatKind kind);

}  // namespace traitlab::cli
