#include "core/tokenizer/added_tokens.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "core/tokenizer/bpe_model.h"
#include "core/tokenizer/normalizers.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab::tok {

namespace {

// Rust regex's Unicode \w, which `tokenizers` uses for single_word.
constexpr const char* kWordClass = R"([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\x{200C}\x{200D}])";

// Byte length of the whitespace run that ends at `end` / starts at `begin`.
size_t space_before(std::string_view s, size_t end, size_t floor) {
  size_t pos = end;
  while (pos > floor) {
    size_t start = pos - 1;
    while (start > floor && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t len;
    if (!is_whitespace(decode_utf8(s, start, &len))) break;
    pos = start;
  }
  return end - pos;
}

size_t space_after(std::string_view s, size_t begin) {
  size_t pos = begin;
  while (pos < s.size()) {
    size_t len;
    if (!is_whitespace(decode_utf8(s, pos, &len))) break;
    pos += len;
  }
  return pos - begin;
}

}  // namespace

AddedVocabulary::AddedVocabulary(const nlohmann::json& tokens, const BpeModel& model,
                                 const Normalizer* normalizer, const std::string& where) {
  word_start_ = std::make_shared<Regex>(std::string("^") + kWordClass, "single_word");
  word_end_ = std::make_shared<Regex>(std::string(kWordClass) + "$", "single_word");
  if (tokens.is_null()) return;
  check_input(tokens.is_array(), where, ": added_tokens: expected an array");
  std::unordered_map<std::string, int32_t> content_id;  // `tokenizers`' added_tokens_map
  int32_t max_added = -1;
  const auto model_size = static_cast<int32_t>(model.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string ctx = str(where, ": added_tokens[", i, "]");
    const auto& t = tokens[i];
    AddedToken a;
    const int64_t json_id = get_field<int64_t>(t, "id", ctx);
    check_input(json_id >= 0 && json_id < std::numeric_limits<int32_t>::max(), ctx, ": id ",
                json_id, " is out of range");
    a.content = get_field<std::string>(t, "content", ctx);
    a.special = get_field_or<bool>(t, "special", false, ctx);
    a.single_word = get_field_or<bool>(t, "single_word", false, ctx);
    a.lstrip = get_field_or<bool>(t, "lstrip", false, ctx);
    a.rstrip = get_field_or<bool>(t, "rstrip", false, ctx);
    a.normalized = get_field_or<bool>(t, "normalized", !a.special, ctx);
    if (a.content.empty()) continue;  // `tokenizers` ignores empty tokens
    check_input(is_valid_utf8(a.content), ctx, ": content is not valid UTF-8");
    if (auto it = content_id.find(a.content); it != content_id.end()) {
      a.id = it->second;
    } else if (auto id = model.token_to_id(a.content)) {
      a.id = *id;
    } else {
      a.id = (max_added >= model_size || model_size == 0) ? max_added + 1 : model_size;
    }
    content_id[a.content] = a.id;
    max_added = std::max(max_added, a.id);
    a.decoded = a.content;
    if (a.normalized && normalizer) normalizer->normalize(a.decoded);
    if (auto it = by_content_.find(a.content); it != by_content_.end()) {
      tokens_[it->second] = a;  // a repeated content keeps the last entry
    } else {
      by_content_[a.content] = tokens_.size();
      tokens_.push_back(a);
    }
  }
  std::vector<std::pair<std::string, int32_t>> raw, norm;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& a = tokens_[i];
    by_id_[a.id] = i;
    max_id_ = std::max(max_id_, a.id);
    if (a.special) special_.insert(a.content);
    if (!a.normalized) {
      raw.emplace_back(a.content, a.id);
    } else if (!a.decoded.empty()) {
      norm.emplace_back(a.decoded, a.id);
    }
  }
  build_set(raw_, raw);
  build_set(normalized_, norm);
}

void AddedVocabulary::build_set(MatchSet& set,
                                const std::vector<std::pair<std::string, int32_t>>& items) {
  set.by_first_byte.assign(256, {});
  for (const auto& [pattern, id] : items) {
    set.by_first_byte[static_cast<unsigned char>(pattern[0])].push_back(
        static_cast<uint32_t>(set.patterns.size()));
    set.patterns.push_back(pattern);
    set.ids.push_back(id);
  }
}

const AddedToken* AddedVocabulary::find(int32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

const AddedToken* AddedVocabulary::find(const std::string& content) const {
  auto it = by_content_.find(content);
  return it == by_content_.end() ? nullptr : &tokens_[it->second];
}

std::vector<Segment> AddedVocabulary::split(std::string_view text, bool normalized_pass) const {
  const MatchSet& set = normalized_pass ? normalized_ : raw_;
  std::vector<Segment> out;
  auto emit = [&](size_t b, size_t e, int32_t id) {
    if (e > b) out.push_back({std::string(text.substr(b, e - b)), id, b});
  };
  size_t start_offset = 0;
  if (!set.patterns.empty()) {
    size_t pos = 0;
    while (pos < text.size()) {
      // Leftmost-longest: the first position with a match, the longest there.
      int best = -1;
      size_t best_len = 0;
      for (uint32_t k : set.by_first_byte[static_cast<unsigned char>(text[pos])]) {
        const std::string& p = set.patterns[k];
        if (p.size() > best_len && text.compare(pos, p.size(), p) == 0) {
          best = static_cast<int>(k);
          best_len = p.size();
        }
      }
      if (best < 0) {
        ++pos;
        continue;
      }
      size_t start = pos, stop = pos + best_len;
      pos = stop;  // matches never overlap, even when one is discarded
      const AddedToken& tok = *find(set.ids[best]);
      if (tok.single_word) {
        const bool start_ok = start == 0 || !word_end_->search(text.substr(0, start));
        const bool stop_ok = stop == text.size() || !word_start_->search(text.substr(stop));
        if (!start_ok || !stop_ok) continue;
      }
      if (tok.lstrip) start = std::max(start - space_before(text, start, 0), start_offset);
      if (tok.rstrip) stop += space_after(text, stop);
      emit(start_offset, start, -1);
      out.push_back({std::string(text.substr(start, stop - start)), tok.id, start});
      start_offset = stop;
    }
  }
  emit(start_offset, text.size(), -1);
  return out;
}

}  // namespace traitlab::tok
