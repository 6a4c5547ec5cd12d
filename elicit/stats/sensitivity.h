#pragma once
// Robustness of a measurement to how the question was asked: prompt
// template, option order, paraphrase; and the answer-side artefacts position
// bias and refusal. Definitions and reading guide: docs/metrics.md.
//
// Choices are canonical option indices (0 = H1, 1 = H2, 2 = L1, 3 = L2; -1 =
// refusal), i.e. by content, never by letter: the caller maps letters back
// through the option order that was shown.
#include <string>
#include <vector>

#include "elicit/stats/chi_square.h"

namespace traitlab::stats {

// Sample standard deviation (ddof = 1) of one trait's score across prompt
// templates. Non-finite scores (a template where everything was refused) are
// skipped; NaN if fewer than 2 remain.
double prompt_sensitivity(const std::vector<double>& score_per_template,
                          const std::string& what = "prompt sensitivity");

struct ConditionSensitivity {
  int n_items = 0;
  double flip_share = 0.0;            // share of items whose chosen option is not the same in all
                                      // conditions (a refusal counts as a choice)
  double pole_flip_share = 0.0;       // the same for the pole (high / low / refused)
  double mean_abs_delta_score = 0.0;  // mean over condition pairs of |score_a - score_b|
  std::vector<double> score_per_condition;  // binary TRAIT score per condition
};

// choices[c][i]: canonical choice for item i under condition c (c = option
// order, or original / paraphrased). All conditions must cover the same
// items; at least 2 conditions and 1 item. Pairs whose score is NaN (all
// refused) are skipped in mean_abs_delta_score; NaN if no pair remains.
ConditionSensitivity condition_sensitivity(const std::vector<std::vector<int>>& choices,
                                           const std::string& what = "sensitivity");

// Option-order sensitivity: choices[order][item].
inline ConditionSensitivity order_sensitivity(const std::vector<std::vector<int>>& choices) {
  return condition_sensitivity(choices, "order sensitivity");
}

// Paraphrase sensitivity: original vs paraphrased item text.
inline ConditionSensitivity paraphrase_sensitivity(const std::vector<int>& original,
                                                   const std::vector<int>& paraphrased) {
  return condition_sensitivity({original, paraphrased}, "paraphrase sensitivity");
}

struct PositionBias {
  std::vector<long> counts;   // answers per letter position
  std::vector<double> rates;  // counts / n_answered (NaN if nothing answered)
  long n_answered = 0, n_refused = 0;
  ChiSquareTest test;  // against a uniform choice of position
};

// chosen_position[r]: letter position (0 = A, ...) picked in response r, or
// -1 for a refusal (excluded from the rates and the test).
PositionBias position_bias(const std::vector<int>& chosen_position, int n_positions,
                           const std::string& what = "position bias");

// refusals / responses; NaN when there are no responses.
double refusal_rate(long refusals, long responses, const std::string& what = "refusal rate");

}  // namespace traitlab::stats
