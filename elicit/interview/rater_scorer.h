#pragma once
// Model-as-rater scoring: a rater model (the measured model by default, or
// another checkpoint) reads the text and answers two 5-point Likert
// questions per trait about its author, "The author of this text is
// <label_high>." and "... is <label_low>." (labels from the persona marker
// banks, e.g. open-minded / conventional). For each question
//   E = sum_{k=1..5} k p_k,
// p_k = next-token probability of the label "k" summed over all of its
// tokens and renormalised over 1..5 (core/ops/next_token.h label_probs).
// The trait score is (E_high + (6 - E_low)) / 2 on 1..5 (3 = neutral).
// Installed hooks (a steering condition) are suspended while rating, so a
// steered model rates as itself.
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "elicit/interview/text_scorer.h"
#include "elicit/techniques/persona.h"

namespace traitlab {

struct RaterQuestion {
  std::vector<double> probs;  // p_1..p_5
  double expected = 0.0;
  double label_mass = 0.0;  // share of the next-token mass on the labels
};

class RaterScorer : public TextScorer {
 public:
  // The rater and bank must outlive the scorer. chat: render through the
  // rater's chat format.
  RaterScorer(Checkpoint& rater, const PersonaBank& bank, bool chat);

  std::string name() const override { return "rater"; }
  TraitScores score(const std::string& text, const std::vector<Trait>& traits) override;

  // The prompt asking whether the author of `text` is `adjective`.
  std::string prompt(const std::string& text, const std::string& adjective) const;
  RaterQuestion ask(const std::string& text, const std::string& adjective);

 private:
  Checkpoint& ck_;
  const PersonaBank& bank_;
  bool chat_;
  std::vector<std::vector<int32_t>> label_ids_;
};

}  // namespace traitlab
