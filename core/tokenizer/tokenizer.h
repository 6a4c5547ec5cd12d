#pragma once
// Hugging Face tokenizer.json (BPE model) as the `tokenizers` library runs
// it: added tokens -> normalizer -> pre-tokenizer -> BPE -> post-processor,
// and the decoder chain. Unsupported components are UnsupportedErrors naming
// the component and the file; nothing is approximated silently.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace traitlab {

class Tokenizer {
 public:
  static Tokenizer from_file(const std::string& path);
  static Tokenizer from_json(const nlohmann::json& j, const std::string& where);

  // add_special_tokens applies the post-processor (e.g. prepends BOS).
  std::vector<int32_t> encode(std::string_view text, bool add_special_tokens = true) const;
  std::string decode(const std::vector<int32_t>& ids, bool skip_special_tokens = false) const;

  int64_t vocab_size() const;  // highest id + 1, added tokens included
  std::optional<int32_t> token_to_id(const std::string& token) const;
  std::string id_to_token(int32_t id) const;  // "" for unknown ids
  bool is_special(int32_t id) const;

  // Ids the post-processor adds at the start (BOS) when add_special_tokens.
  std::vector<int32_t> prefix_special_ids() const;

  const nlohmann::json& json() const;  // the file as loaded

  struct Impl;

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace traitlab
