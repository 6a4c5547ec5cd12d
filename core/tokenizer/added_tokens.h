#pragma once
// Added and special tokens: matched before the model ever sees the text
// (leftmost-longest, with the lstrip/rstrip/single_word flags), in two
// passes as `tokenizers` does: tokens with normalized=false against the raw
// text, then tokens with normalized=true against each normalized piece.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/tokenizer/regex.h"

namespace traitlab::tok {

class BpeModel;
class Normalizer;

struct AddedToken {
  int32_t id = 0;
  std::string content;
  // What id_to_token and decode give: the normalized content for
  // normalized=true tokens, as `tokenizers` 0.23 returns it.
  std::string decoded;
  bool single_word = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

// A piece of text and, when it is an added token, its id (-1 otherwise).
struct Segment {
  std::string text;
  int32_t id = -1;
  size_t offset = 0;  // byte offset in the string that was split
};

class AddedVocabulary {
 public:
  AddedVocabulary() = default;
  // `tokens` is tokenizer.json's "added_tokens"; the normalizer (may be null)
  // builds the patterns of normalized tokens. Ids are assigned the way
  // `tokenizers` does on load: the model's id when the content is in its
  // vocab, otherwise the next free id (files the library wrote agree with
  // the "id" fields; hand-edited ones may not, and the library wins).
  AddedVocabulary(const nlohmann::json& tokens, const BpeModel& model, const Normalizer* normalizer,
                  const std::string& where);

  // Splits text on the tokens of one pass (normalized or not). Pieces are in
  // order and cover the text; empty pieces are dropped.
  std::vector<Segment> split(std::string_view text, bool normalized_pass) const;

  const AddedToken* find(int32_t id) const;
  const AddedToken* find(const std::string& content) const;
  // Whether a decoded token string is the content of a special token.
  bool is_special_content(const std::string& content) const { return special_.count(content) > 0; }
  int32_t max_id() const { return max_id_; }
  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  struct MatchSet {
    std::vector<std::string> patterns;
    std::vector<int32_t> ids;
    std::vector<std::vector<uint32_t>> by_first_byte;  // pattern indices per first byte
  };
  void build_set(MatchSet& set, const std::vector<std::pair<std::string, int32_t>>& items);

  std::vector<AddedToken> tokens_;
  std::unordered_map<int32_t, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_content_;
  std::unordered_set<std::string> special_;
  MatchSet raw_, normalized_;
  int32_t max_id_ = -1;
  std::shared_ptr<Regex> word_start_, word_end_;
};

}  // namespace traitlab::tok
