#pragma once
// Pearson and Spearman correlation between two paired samples (e.g. one
// trait's scores from two instruments across simulated participants, or
// intended persona level vs measured score). Both need the same length and at
// least 3 pairs (with 2, r is +-1 by construction) of finite values:
// InputError otherwise. A sample with zero variance gives NaN, as scipy does.
#include <string>
#include <vector>

namespace traitlab::stats {

double pearson(const std::vector<double>& x, const std::vector<double>& y,
               const std::string& what = "correlation");

// Ranks 1..n; tied values share the mean of the ranks they span
// (scipy.stats.rankdata(method="average")).
std::vector<double> average_ranks(const std::vector<double>& x);

// Spearman's rho = Pearson r of the average ranks (ties handled exactly as
// scipy.stats.spearmanr).
double spearman(const std::vector<double>& x, const std::vector<double>& y,
                const std::string& what = "correlation");

}  // namespace traitlab::stats
