#include "experiments/world/response_model.h"

#include <cmath>

namespace traitlab::world {

double sigmoid(double x) {
  // Split by sign so exp never overflows.
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

double p_high(double theta, double a, double b) { return sigmoid(a * (theta - b)); }

namespace {
// P(X >= k) for k = 1..K+1.
std::vector<double> cumulative(double theta, const GradedItem& item) {
  std::vector<double> c;
  c.push_back(1.0);
  for (double b : item.thresholds) c.push_back(sigmoid(item.a * (item.key * theta - b)));
  c.push_back(0.0);
  return c;
}
}  // namespace

std::vector<double> grm_probabilities(double theta, const GradedItem& item) {
  const std::vector<double> c = cumulative(theta, item);
  std::vector<double> p(c.size() - 1);
  for (size_t k = 0; k + 1 < c.size(); ++k) p[k] = c[k] - c[k + 1];
  return p;
}

int sample_grm(double theta, const GradedItem& item, WorldRng& rng) {
  const std::vector<double> c = cumulative(theta, item);
  const double u = rng.uniform();
  int x = 1;
  for (size_t k = 1; k + 1 < c.size(); ++k)
    if (u < c[k]) ++x;
  return x;
}

double grm_expected(double theta, const GradedItem& item) {
  const std::vector<double> p = grm_probabilities(theta, item);
  double e = 0;
  for (size_t k = 0; k < p.size(); ++k) e += (k + 1) * p[k];
  return e;
}

}  // namespace traitlab::world
