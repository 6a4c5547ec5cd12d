#pragma once
// Percentile bootstrap confidence intervals over items.
//
// Determinism: resample b draws n item indices from one std::mt19937_64
// seeded with BootstrapOptions::seed (std::mt19937_64's output sequence is
// fixed by the C++ standard). An index in [0, n) is drawn by rejection:
// x = engine(); retry while x >= 2^64 - (2^64 mod n); index = x mod n. So the
// intervals are identical on every platform and compiler, and
// tools/goldens/make_stats_goldens.py reproduces them in pure Python.
// Use derive_seed(run_seed, label) to give every metric its own stream.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "elicit/stats/trait_score.h"

namespace traitlab::stats {

struct BootstrapOptions {
  int resamples = 2000;
  double level = 0.95;
  std::uint64_t seed = 0;
};

struct Interval {
  double lo = 0.0, hi = 0.0;  // NaN when fewer than half the resamples gave a finite value
  int n_valid = 0;            // resamples whose statistic was finite
};

// splitmix64(base ^ fnv1a64(label)): a seed for one named stream, e.g.
// derive_seed(cfg.seed, "bootstrap/trait_score/Openness").
std::uint64_t derive_seed(std::uint64_t base, const std::string& label);

// The bootstrap loop: statistic(indices) is evaluated on `resamples` index
// vectors of length n_items drawn with replacement. Non-finite statistics
// (e.g. a resample of only refusals) are dropped. The interval is
// (q_{(1-level)/2}, q_{(1+level)/2}) of the kept values with linear
// interpolation between order statistics (numpy.percentile's default).
Interval bootstrap_ci(std::size_t n_items,
                      const std::function<double(const std::vector<std::size_t>&)>& statistic,
                      const BootstrapOptions& opt = {}, const std::string& what = "bootstrap");

// Interval for the mean of per-item values (Likert item scores, P(high)*100).
Interval bootstrap_mean_ci(const std::vector<double>& values, const BootstrapOptions& opt = {},
                           const std::string& what = "bootstrap");

// Interval for the binary TRAIT score; each resample keeps its refusals and
// scores its answered items.
Interval bootstrap_trait_score_ci(const std::vector<Pole>& answers,
                                  const BootstrapOptions& opt = {},
                                  const std::string& what = "bootstrap");

// Quantile q of sorted values with numpy's default linear interpolation.
double sorted_quantile(const std::vector<double>& sorted, double q);

}  // namespace traitlab::stats
