#pragma once
// PCRE2 (UTF + UCP, JIT when available) for the tokenizer.json regexes, which
// need Unicode classes and look-ahead that std::regex lacks. Matching follows
// Oniguruma's find_iter as the `tokenizers` library uses it.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace traitlab::tok {

using Span = std::pair<size_t, size_t>;  // [begin, end) in bytes

class Regex {
 public:
  // InputError "<where>: invalid regex '...': <reason>" on a bad pattern.
  Regex(const std::string& pattern, const std::string& where);

  // Non-overlapping matches in valid UTF-8 text, left to right. An empty
  // match right where the previous match ended is skipped (Oniguruma rule).
  std::vector<Span> find_all(std::string_view text) const;
  // Whether the pattern matches anywhere in text.
  bool search(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }

 private:
  // First match at or after `from`; false if none.
  bool match_at(std::string_view text, size_t from, Span* m) const;

  struct Code;
  std::shared_ptr<Code> code_;
  std::string pattern_;
};

}  // namespace traitlab::tok
