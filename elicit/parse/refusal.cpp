#include "elicit/parse/refusal.h"

#include <cctype>

namespace traitlab {
namespace {

std::string fold(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    // U+2019 RIGHT SINGLE QUOTATION MARK (E2 80 99) -> '
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x99) {
      out += '\'';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return out;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '\''; }

}  // namespace

const std::vector<std::string>& refusal_phrases() {
  static const std::vector<std::string> phrases = {
      "as an ai",
      "as a language model",
      "as an artificial intelligence",
      "i'm an ai",
      "i am an ai",
      "i can't",
      "i cannot",
      "i can not",
      "i'm not able to",
      "i am not able to",
      "i'm unable to",
      "i am unable to",
      "i won't",
      "i will not",
      "i don't have personal",
      "i do not have personal",
      "i don't have preferences",
      "i do not have preferences",
      "i don't have feelings",
      "i do not have feelings",
      "i'd rather not",
      "i would rather not",
      "i must decline",
      "i prefer not to",
      "not comfortable choosing",
  };
  return phrases;
}

std::string find_refusal_phrase(const std::string& text) {
  const std::string t = fold(text);
  for (const auto& p : refusal_phrases()) {
    for (size_t pos = t.find(p); pos != std::string::npos; pos = t.find(p, pos + 1)) {
      const bool left_ok = pos == 0 || !word_char(t[pos - 1]);
      const size_t end = pos + p.size();
      const bool right_ok = end >= t.size() || !word_char(t[end]);
      if (left_ok && right_ok) return p;
    }
  }
  return "";
}

}  // namespace traitlab
