#pragma once
// A GGUF file's tokenizer (tokenizer.ggml.* metadata) as the tokenizer.json
// the `tokenizers` library would run, so that one implementation
// (tokenizer.h) serves both formats. The builder is picked by
// tokenizer.ggml.model from a table (gguf_tokenizer.cpp): "gpt2" is a
// byte-level BPE whose pre-tokenizer is chosen by tokenizer.ggml.pre from a
// table; "llama" is a SentencePiece vocabulary (gguf_spm.h). Other models
// are an UnsupportedError naming the key.
#include <nlohmann/json.hpp>

#include "core/io/gguf.h"

namespace traitlab {

nlohmann::json gguf_tokenizer_json(const GgufFile& f);

// tokenizer.chat_template, or "" when the file has none.
std::string gguf_chat_template(const GgufFile& f);

}  // namespace traitlab
