#pragma once
// A tokenizer.json pattern: {"String": "..."} (a literal) or {"Regex": "..."}.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/regex.h"

namespace traitlab::tok {

class Pattern {
 public:
  // `where` names the file and key for errors ("tok.json: pre_tokenizer.pattern").
  static Pattern from_json(const nlohmann::json& j, const std::string& where);

  // Non-overlapping matches, left to right. An empty literal never matches.
  std::vector<Span> find_all(std::string_view text) const;

 private:
  std::string literal_;
  std::optional<Regex> regex_;
};

// Replaces every match of `pattern` in `text` with `content`.
std::string replace_all(const Pattern& pattern, std::string_view text, std::string_view content);

}  // namespace traitlab::tok
