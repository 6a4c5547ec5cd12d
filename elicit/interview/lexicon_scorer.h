#pragma once
// Marker-lexicon scoring of free text (elicit/banks/lexicon_interview.json,
// traitlab-original: per trait a list of high-pole and low-pole words; a
// trailing '*' matches any ending).
//
//   words  = maximal runs of ASCII letters and apostrophes, lower-cased
//            (curly apostrophes folded to ')
//   h_t    = number of words matching a high entry of trait t
//   l_t    = number of words matching a low entry of trait t
//   score  = 100 (h_t - l_t) / n_words      (net markers per 100 words;
//            0 for a text without words)
// A word counts once per pole however many entries match it. Lexicons
// reward vocabulary, not behaviour: a model echoing its persona's wording
// scores "high" (see docs/elicit.md).
#include <string>
#include <vector>

#include "elicit/interview/text_scorer.h"

namespace traitlab {

struct LexiconCounts {
  int64_t n_words = 0, high = 0, low = 0;
};

class LexiconScorer : public TextScorer {
 public:
  // InputError naming the file for malformed lexicons, unknown traits, an
  // empty pole or a word in both poles of a trait. "" = the built-in one.
  static LexiconScorer load(const std::string& path = "");

  std::string name() const override { return "lexicon"; }
  TraitScores score(const std::string& text, const std::vector<Trait>& traits) override;
  LexiconCounts counts(const std::string& text, Trait t) const;

  static std::vector<std::string> words(const std::string& text);
  // Whole word, or prefix for an entry ending in '*'.
  static bool matches(const std::string& word, const std::string& entry);

 private:
  struct Poles {
    std::vector<std::string> high, low;
  };
  std::map<Trait, Poles> lexicon_;
};

}  // namespace traitlab
