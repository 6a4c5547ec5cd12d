#pragma once
// A GGUF file as a Hugging Face model: its metadata as a config.json and
// its tensor names as the family's Hugging Face names. What differs between
// GGUF architectures is one row of a table (gguf_model.cpp), not branches.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/io/gguf.h"

namespace traitlab {

// The config.json transformers would write for this file's model
// (llama, qwen2, ...). An architecture traitlab cannot run is an
// UnsupportedError naming general.architecture.
nlohmann::json gguf_model_config(const GgufFile& f);

// Hugging Face tensor name -> the GGUF tensor holding it (GgufWeight: gguf.h). Tensors of the
// file that map to nothing keep their GGUF name, so that the loader's
// "unexpected tensor" check names them.
std::map<std::string, GgufWeight> gguf_weight_map(const GgufFile& f);

}  // namespace traitlab
