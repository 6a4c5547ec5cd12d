#pragma once
// The tokenizer.json BPE model: vocab, ranked merges, byte_fallback,
// unk_token/fuse_unk, ignore_merges, continuing_subword_prefix and
// end_of_word_suffix, with a cache of recent words (as `tokenizers` keeps).
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace traitlab::tok {

class BpeModel {
 public:
  // InputError for merges naming tokens outside the vocab; UnsupportedError
  // for a non-BPE model type or BPE dropout.
  BpeModel(const nlohmann::json& model, const std::string& where);

  // Appends the ids of one pre-tokenized word.
  void tokenize(std::string_view word, std::vector<int32_t>& out) const;

  std::optional<int32_t> token_to_id(const std::string& token) const;
  const std::string* id_to_token(int32_t id) const;
  size_t size() const { return vocab_.size(); }
  int32_t max_id() const { return max_id_; }

 private:
  std::vector<int32_t> merge_word(std::string_view word) const;

  std::unordered_map<std::string, int32_t> vocab_;
  std::unordered_map<int32_t, std::string> vocab_r_;
  // (left id << 32 | right id) -> (rank, merged id)
  std::unordered_map<uint64_t, std::pair<uint32_t, int32_t>> merges_;
  std::string where_;
  int32_t max_id_ = -1;
  std::optional<int32_t> unk_id_;
  std::string unk_token_;
  std::string prefix_, suffix_;
  bool fuse_unk_ = false, byte_fallback_ = false, ignore_merges_ = false;
  std::vector<int32_t> byte_ids_;  // <0xNN> ids, -1 where absent (byte_fallback)

  // Words shorter than kCacheMaxWord bytes, up to kCacheCapacity of them.
  static constexpr size_t kCacheCapacity = 10000, kCacheMaxWord = 256;
  mutable std::shared_mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<int32_t>> cache_;
};

}  // namespace traitlab::tok
