#pragma once
// Scores a free-text answer on the eight traits. Implementations:
// LexiconScorer (marker words, transparent) and RaterScorer (a model rates
// the author on Likert questions). Scales differ by scorer and are
// documented with each; compare scores only within one scorer.
#include <map>
#include <string>
#include <vector>

#include "elicit/traits.h"

namespace traitlab {

using TraitScores = std::map<Trait, double>;

class TextScorer {
 public:
  virtual ~TextScorer() = default;
  virtual std::string name() const = 0;  // "lexicon", "rater"
  // One score per trait in `traits` (every one of them present).
  virtual TraitScores score(const std::string& text, const std::vector<Trait>& traits) = 0;
};

}  // namespace traitlab
