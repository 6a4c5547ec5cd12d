#pragma once
// Loading a model from a config and weights that are already open (a GGUF
// file's, through WeightSource::open_gguf); load_model() in decoder.h is the
// same for a Hugging Face directory. Defined in model_io.cpp.
#include "core/io/safetensors.h"
#include "core/model/decoder.h"

namespace traitlab {

DecoderModel load_model_from(const ModelConfig& cfg, const WeightSource& src, torch::Device device,
                             torch::ScalarType dtype);

}  // namespace traitlab
