#pragma once
// tokenizer.json decoders: ByteLevel, ByteFallback, Fuse, Strip, Replace,
// Metaspace, Sequence. Each rewrites the list of token strings (decode_chain
// in `tokenizers`); the tokenizer joins what is left.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab::tok {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

// nullptr for a JSON null; UnsupportedError for unknown types.
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& j, const std::string& where,
                                      const std::string& key = "decoder");

}  // namespace traitlab::tok
