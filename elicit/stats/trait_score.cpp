#include "elicit/stats/trait_score.h"

#include <cmath>
#include <limits>

#include "core/util/error.h"

namespace traitlab::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

Pole pole_of_option(int canonical) {
  check_input(canonical >= -1 && canonical <= 3, "trait score: option index ", canonical,
              " is not -1 (refusal) or 0..3 (H1, H2, L1, L2)");
  if (canonical < 0) return Pole::Refused;
  return canonical <= 1 ? Pole::High : Pole::Low;
}

OptionProbs to_canonical(const std::array<double, 4>& letter_probs,
                         const std::array<int, 4>& option_at_position, const std::string& what) {
  OptionProbs out{};
  std::array<bool, 4> seen{};
  for (int pos = 0; pos < 4; ++pos) {
    const int o = option_at_position[pos];
    check_input(o >= 0 && o < 4 && !seen[o], what, ": option order is not a permutation of 0..3");
    seen[o] = true;
    out[o] = letter_probs[pos];
  }
  return out;
}

OptionProbs renormalise(const OptionProbs& p, const std::string& what) {
  double sum = 0.0;
  for (double x : p) {
    check_input(std::isfinite(x) && x >= 0.0, what, ": option probability ", x,
                " is negative or not finite");
    sum += x;
  }
  check_input(sum > 0.0, what, ": option probabilities sum to zero");
  OptionProbs out;
  for (int i = 0; i < 4; ++i) out[i] = p[i] / sum;
  return out;
}

OptionProbs average_orders(const std::vector<OptionProbs>& per_order, const std::string& what) {
  check_input(!per_order.empty(), what, ": no option orders to average");
  OptionProbs mean{};
  for (const auto& p : per_order) {
    const OptionProbs r = renormalise(p, what);
    for (int i = 0; i < 4; ++i) mean[i] += r[i] / static_cast<double>(per_order.size());
  }
  return mean;
}

int argmax_option(const OptionProbs& p) {
  int best = 0;
  for (int i = 1; i < 4; ++i)
    if (p[i] > p[best]) best = i;
  return best;
}

double p_high(const OptionProbs& p, const std::string& what) {
  const OptionProbs r = renormalise(p, what);
  return r[0] + r[1];
}

TraitScore trait_score(const std::vector<Pole>& answers) {
  TraitScore s;
  for (Pole a : answers) {
    if (a == Pole::High) ++s.n_high;
    if (a == Pole::Low) ++s.n_low;
    if (a == Pole::Refused) ++s.n_refused;
  }
  const int answered = s.n_high + s.n_low;
  s.score = answered > 0 ? 100.0 * s.n_high / answered : kNaN;
  return s;
}

double weighted_trait_score(const std::vector<double>& p_high_per_item, const std::string& what) {
  double sum = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < p_high_per_item.size(); ++i) {
    const double p = p_high_per_item[i];
    if (std::isnan(p)) continue;
    check_input(p >= 0.0 && p <= 1.0, what, ": item ", i, ": P(high) = ", p, " is outside [0, 1]");
    sum += p;
    ++n;
  }
  return n > 0 ? 100.0 * sum / n : kNaN;
}

double keyed_likert(double x, int key, int scale_points, const std::string& what) {
  check_input(scale_points >= 2, what, ": scale_points ", scale_points, " < 2");
  check_input(key == 1 || key == -1, what, ": key ", key, " is not +1 or -1");
  check_input(x >= 1.0 && x <= scale_points, what, ": response ", x, " is outside 1..",
              scale_points);
  return key == 1 ? x : scale_points + 1 - x;
}

double likert_scale_score(const std::vector<double>& responses, const std::vector<int>& keys,
                          int scale_points, const std::string& what) {
  check_input(responses.size() == keys.size(), what, ": ", responses.size(), " responses but ",
              keys.size(), " keys");
  double sum = 0.0;
  int n = 0;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (std::isnan(responses[i])) continue;
    sum += keyed_likert(responses[i], keys[i], scale_points, str(what, ": item ", i));
    ++n;
  }
  return n > 0 ? sum / n : kNaN;
}

double expected_likert(const std::vector<double>& probs, const std::string& what) {
  check_input(probs.size() >= 2, what, ": need probabilities for at least 2 scale points");
  double sum = 0.0, weighted = 0.0;
  for (std::size_t k = 0; k < probs.size(); ++k) {
    check_input(std::isfinite(probs[k]) && probs[k] >= 0.0, what, ": probability of point ", k + 1,
                " is ", probs[k]);
    sum += probs[k];
    weighted += probs[k] * static_cast<double>(k + 1);
  }
  check_input(sum > 0.0, what, ": scale-point probabilities sum to zero");
  return weighted / sum;
}

}  // namespace traitlab::stats
