#pragma once
// How a respondent with latent theta answers (documented in docs/world.md).
//
// Scenario item (2PL): P(high pole | theta_t) = sigma(a (theta_t - b)); within
// the chosen pole one of its two options is picked uniformly.
// Likert statement (graded response model, K points, key kappa = +-1):
//   P(X >= k | theta) = sigma(a (kappa theta - b_k)), k = 2..K, b_2 < ... < b_K,
//   P(X = k) = P(X >= k) - P(X >= k + 1), with P(X >= 1) = 1, P(X >= K + 1) = 0.
#include <vector>

#include "experiments/world/rng.h"

namespace traitlab::world {

double sigmoid(double x);

// 2PL probability of choosing a high-pole option.
double p_high(double theta, double a, double b);

struct GradedItem {
  double a = 1.0;
  int key = 1;                     // +1 or -1
  std::vector<double> thresholds;  // b_2..b_K, increasing; K = size + 1 points
};

// P(X = k) for k = 1..K (index k - 1); sums to 1.
std::vector<double> grm_probabilities(double theta, const GradedItem& item);
// A draw from grm_probabilities: 1 + #{k >= 2 : u < P(X >= k)}, one uniform.
int sample_grm(double theta, const GradedItem& item, WorldRng& rng);
// E[X | theta].
double grm_expected(double theta, const GradedItem& item);

}  // namespace traitlab::world
