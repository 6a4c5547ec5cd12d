#pragma once
// A Hugging Face model directory: config.json + safetensors weights +
// tokenizer.json (+ tokenizer_config.json for the chat format). Only
// safetensors and JSON are ever read: no pickle, no code.
#include <torch/torch.h>

#include <memory>
#include <string>

#include "core/model/decoder.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"

namespace traitlab {

struct LoadOptions {
  torch::Device device = torch::kCPU;
  torch::ScalarType dtype = torch::kFloat32;
  std::string chat_format;  // "" = detect from tokenizer_config.json
};

struct Checkpoint {
  std::string dir;
  DecoderModel model{nullptr};
  std::shared_ptr<Tokenizer> tokenizer;
  ChatFormat chat;
};

Checkpoint load_checkpoint(const std::string& dir, const LoadOptions& opts = {});

}  // namespace traitlab
