#pragma once
// Turning model answers into trait scores: TRAIT's multiple-choice scoring
// (binary and probability-weighted) and Likert scale scores. Formulas and
// how to read them: docs/metrics.md. Canonical option indices follow the
// instruments: 0 = H1, 1 = H2 (high-trait options), 2 = L1, 3 = L2 (low).
#include <array>
#include <string>
#include <vector>

namespace traitlab::stats {

enum class Pole { High, Low, Refused };

// Probabilities of the four options in canonical order H1, H2, L1, L2.
using OptionProbs = std::array<double, 4>;

// High for 0 and 1, Low for 2 and 3, Refused for -1; InputError otherwise.
Pole pole_of_option(int canonical);

// Reorders letter probabilities (A..D) into canonical order, given which
// canonical option sat at each letter position (a permutation of 0..3).
OptionProbs to_canonical(const std::array<double, 4>& letter_probs,
                         const std::array<int, 4>& option_at_position,
                         const std::string& what = "trait score");

// Divides by the sum; InputError for negative/non-finite values or a zero sum.
OptionProbs renormalise(const OptionProbs& p, const std::string& what = "trait score");

// TRAIT's two-order rule generalised to any number of orders: renormalise
// each order's canonical probabilities over the four options, then average.
OptionProbs average_orders(const std::vector<OptionProbs>& per_order,
                           const std::string& what = "trait score");

// Index of the largest probability; ties go to the first in canonical order.
int argmax_option(const OptionProbs& p);

// P(high) = p(H1) + p(H2) after renormalising.
double p_high(const OptionProbs& p, const std::string& what = "trait score");

struct TraitScore {
  double score = 0.0;  // 100 * n_high / (n_high + n_low); NaN if nothing answered
  int n_high = 0, n_low = 0, n_refused = 0;
};

// Binary TRAIT score over items; refusals are excluded from the ratio.
TraitScore trait_score(const std::vector<Pole>& answers);

// Continuous score 100 * mean_i P_i(high) over answered items. InputError if
// a value is outside [0, 1]; NaN entries mark refusals and are skipped; NaN
// if all are.
double weighted_trait_score(const std::vector<double>& p_high_per_item,
                            const std::string& what = "trait score");

// Likert item score after keying: key +1 keeps x, key -1 gives
// scale_points + 1 - x. InputError unless 1 <= x <= scale_points and
// key is +1 or -1.
double keyed_likert(double x, int key, int scale_points, const std::string& what = "likert");

// Scale score = mean of keyed item scores. NaN responses are refusals and
// are skipped; NaN if all are. `keys` has one entry per response.
double likert_scale_score(const std::vector<double>& responses, const std::vector<int>& keys,
                          int scale_points, const std::string& what = "likert");

// Expected response sum_k p_k * k (k = 1..K) of a distribution over the K
// scale points, renormalised first (so letter/digit probabilities can be
// passed straight from the model).
double expected_likert(const std::vector<double>& probs, const std::string& what = "likert");

}  // namespace traitlab::stats
