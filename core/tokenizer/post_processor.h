#pragma once
// tokenizer.json post-processors for a single sequence: TemplateProcessing,
// BertProcessing, RobertaProcessing, ByteLevel (a no-op on ids) and
// Sequence. They add special tokens around the encoded text.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab::tok {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Wraps the ids of one sequence (called only with add_special_tokens).
  virtual void process(std::vector<int32_t>& ids) const = 0;
};

// nullptr for a JSON null; UnsupportedError for unknown types.
std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& j,
                                                   const std::string& where,
                                                   const std::string& key = "post_processor");

}  // namespace traitlab::tok
