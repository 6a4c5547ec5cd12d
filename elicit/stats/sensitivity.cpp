#include "elicit/stats/sensitivity.h"

#include <cmath>
#include <limits>

#include "core/util/error.h"
#include "elicit/stats/trait_score.h"

namespace traitlab::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double prompt_sensitivity(const std::vector<double>& score_per_template, const std::string& what) {
  std::vector<double> v;
  for (double s : score_per_template)
    if (std::isfinite(s)) v.push_back(s);
  if (v.size() < 2) return kNaN;
  double mean = 0.0;
  for (double s : v) mean += s / static_cast<double>(v.size());
  double ss = 0.0;
  for (double s : v) ss += (s - mean) * (s - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

ConditionSensitivity condition_sensitivity(const std::vector<std::vector<int>>& choices,
                                           const std::string& what) {
  check_input(choices.size() >= 2, what, ": need at least 2 conditions, got ", choices.size());
  const std::size_t n = choices[0].size();
  check_input(n >= 1, what, ": no items");
  std::vector<std::vector<Pole>> poles(choices.size());
  for (std::size_t c = 0; c < choices.size(); ++c) {
    check_input(choices[c].size() == n, what, ": condition ", c, " has ", choices[c].size(),
                " items, condition 0 has ", n);
    for (std::size_t i = 0; i < n; ++i) {
      check_input(choices[c][i] >= -1 && choices[c][i] <= 3, what, ": condition ", c, ", item ", i,
                  ": choice ", choices[c][i], " is not -1 (refusal) or 0..3");
      poles[c].push_back(pole_of_option(choices[c][i]));
    }
  }
  ConditionSensitivity out;
  out.n_items = static_cast<int>(n);
  int flips = 0, pole_flips = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bool flip = false, pole_flip = false;
    for (std::size_t c = 1; c < choices.size(); ++c) {
      flip |= choices[c][i] != choices[0][i];
      pole_flip |= poles[c][i] != poles[0][i];
    }
    flips += flip;
    pole_flips += pole_flip;
  }
  out.flip_share = static_cast<double>(flips) / n;
  out.pole_flip_share = static_cast<double>(pole_flips) / n;
  for (const auto& p : poles) out.score_per_condition.push_back(trait_score(p).score);
  double sum = 0.0;
  int pairs = 0;
  for (std::size_t a = 0; a < poles.size(); ++a)
    for (std::size_t b = a + 1; b < poles.size(); ++b) {
      const double d = out.score_per_condition[a] - out.score_per_condition[b];
      if (std::isnan(d)) continue;
      sum += std::abs(d);
      ++pairs;
    }
  out.mean_abs_delta_score = pairs > 0 ? sum / pairs : kNaN;
  return out;
}

PositionBias position_bias(const std::vector<int>& chosen_position, int n_positions,
                           const std::string& what) {
  check_input(n_positions >= 2, what, ": need at least 2 positions, got ", n_positions);
  PositionBias out;
  out.counts.assign(n_positions, 0);
  for (std::size_t r = 0; r < chosen_position.size(); ++r) {
    const int p = chosen_position[r];
    check_input(p >= -1 && p < n_positions, what, ": response ", r, ": position ", p,
                " is not -1 (refusal) or 0..", n_positions - 1);
    if (p < 0) {
      ++out.n_refused;
    } else {
      ++out.counts[p];
      ++out.n_answered;
    }
  }
  for (long c : out.counts)
    out.rates.push_back(out.n_answered > 0 ? static_cast<double>(c) / out.n_answered : kNaN);
  out.test = chi_square_uniform(out.counts);
  return out;
}

double refusal_rate(long refusals, long responses, const std::string& what) {
  check_input(refusals >= 0 && responses >= 0 && refusals <= responses, what, ": ", refusals,
              " refusals out of ", responses, " responses is impossible");
  return responses > 0 ? static_cast<double>(refusals) / responses : kNaN;
}

}  // namespace traitlab::stats
