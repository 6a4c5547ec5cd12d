#pragma once
// A GGUF file as a Checkpoint: config from its metadata, weights
// dequantized to the model dtype, tokenizer and chat template from its
// tokenizer.* keys (docs/gguf.md). load_checkpoint() (checkpoint.h) takes
// this path for a .gguf file or a directory holding exactly one .gguf and
// no config.json.
#include <string>

#include "core/checkpoint.h"

namespace traitlab {

Checkpoint load_gguf_checkpoint(const std::string& file, const LoadOptions& opts = {});

// The .gguf file `path` names (itself, or the only one in a directory
// without config.json); "" when it names none. Several: InputError.
std::string gguf_model_file(const std::string& path);

}  // namespace traitlab
