#include "elicit/interview/lexicon_scorer.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "elicit/instruments/instrument.h"

namespace traitlab {

LexiconScorer LexiconScorer::load(const std::string& path_in) {
  const std::string path = path_in.empty() ? banks_dir() + "/lexicon_interview.json" : path_in;
  std::ifstream in(path);
  if (!in) throw IoError(str(path, ": cannot open the lexicon"));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(str(path, ": not JSON (", e.what(), ")"));
  }
  check_input(j.is_object(), path, ": expected {trait: {high: [...], low: [...]}}");
  LexiconScorer s;
  for (const auto& [name, poles] : j.items()) {
    if (!name.empty() && name[0] == '_') continue;  // comments such as "_about"
    const Trait t = parse_trait(name, path);
    Poles p;
    for (const char* pole : {"high", "low"}) {
      check_input(poles.contains(pole) && poles[pole].is_array() && !poles[pole].empty(), path,
                  ": ", name, ".", pole, ": needs a non-empty list of words");
      auto& dst = std::string(pole) == "high" ? p.high : p.low;
      for (const auto& w : poles[pole]) {
        check_input(w.is_string() && !w.get<std::string>().empty(), path, ": ", name, ".", pole,
                    ": entries must be non-empty strings");
        dst.push_back(w.get<std::string>());
      }
    }
    for (const auto& w : p.high)
      check_input(std::find(p.low.begin(), p.low.end(), w) == p.low.end(), path, ": ", name, ": '",
                  w, "' is in both poles");
    s.lexicon_[t] = std::move(p);
  }
  check_input(!s.lexicon_.empty(), path, ": no traits");
  return s;
}

std::vector<std::string> LexiconScorer::words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // U+2019 (E2 80 99) is folded to an ASCII apostrophe.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x99) {
      c = '\'';
      i += 2;
    }
    if (std::isalpha(c) || (c == '\'' && !cur.empty())) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  for (auto& w : out)
    while (!w.empty() && w.back() == '\'') w.pop_back();  // "workers'" -> "workers"
  return out;
}

bool LexiconScorer::matches(const std::string& word, const std::string& entry) {
  if (!entry.empty() && entry.back() == '*')
    return word.compare(0, entry.size() - 1, entry, 0, entry.size() - 1) == 0 &&
           word.size() >= entry.size() - 1;
  return word == entry;
}

LexiconCounts LexiconScorer::counts(const std::string& text, Trait t) const {
  auto it = lexicon_.find(t);
  check_input(it != lexicon_.end(), "lexicon: no entries for ", trait_name(t));
  LexiconCounts c;
  auto any = [](const std::string& w, const std::vector<std::string>& entries) {
    return std::any_of(entries.begin(), entries.end(),
                       [&](const std::string& e) { return matches(w, e); });
  };
  for (const std::string& w : words(text)) {
    ++c.n_words;
    if (any(w, it->second.high)) ++c.high;
    if (any(w, it->second.low)) ++c.low;
  }
  return c;
}

TraitScores LexiconScorer::score(const std::string& text, const std::vector<Trait>& traits) {
  TraitScores out;
  for (Trait t : traits) {
    const LexiconCounts c = counts(text, t);
    out[t] = c.n_words == 0 ? 0.0 : 100.0 * static_cast<double>(c.high - c.low) / c.n_words;
  }
  return out;
}

}  // namespace traitlab
