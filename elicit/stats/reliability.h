#pragma once
// Internal-consistency reliability of one scale over simulated participants
// (Serapio-Garcia et al. 2023): rows are participants (persona x preamble x
// postamble combinations), columns the scale's items, values the item scores
// AFTER reverse keying. Definitions and how to read them: docs/metrics.md.
//
// Shape errors (ragged rows, fewer than 3 participants, fewer than 2 items,
// non-finite values) are InputErrors. Data-dependent degeneracy returns NaN:
// alpha when the total score has zero variance; lambda6 when an item has
// zero variance or the correlation matrix is singular (e.g. fewer
// participants than items, or a duplicated item); omega when an item has
// zero variance.
#include <string>
#include <vector>

#include "elicit/stats/matrix.h"

namespace traitlab::stats {

// Cronbach's alpha = k/(k-1) * (1 - sum_i var_i / var_total), sample
// variances (ddof = 1), var_total = variance of the row sums.
double cronbach_alpha(const Table& rows, const std::string& what = "reliability");

// Guttman's lambda6 on the correlation matrix R, as psych::guttman / splitHalf:
// lambda6 = 1 - sum_j (1 - smc_j) / sum(R), smc_j = 1 - 1/(R^-1)_jj, the
// squared multiple correlation of item j on the others.
double guttman_lambda6(const Table& rows, const std::string& what = "reliability");

struct OmegaOptions {
  double tolerance = 1e-12;  // max |change| of a uniqueness between iterations
  int max_iterations = 100000;
  // Bounds on uniquenesses, as factor_analyzer's default bounds=(0.005, 1):
  // a Heywood case (loading^2 > 1) is held at the lower bound.
  double min_uniqueness = 0.005;
};

struct OmegaResult {
  double omega = 0.0;                // (sum l)^2 / ((sum l)^2 + sum psi)
  std::vector<double> loadings;      // one-factor loadings, sign: sum >= 0
  std::vector<double> uniquenesses;  // psi_j = 1 - l_j^2
  int iterations = 0;
  bool converged = false;
};

// McDonald's omega_total from a one-factor minres fit to the correlation
// matrix (iterated principal axis to the fixed point, which is the minres
// solution: see omega.cpp). NaN omega when an item has zero variance.
OmegaResult mcdonald_omega(const Table& rows, const OmegaOptions& opt = {},
                           const std::string& what = "reliability");

// The same fit given a correlation matrix directly (checked: square,
// symmetric, unit diagonal).
OmegaResult mcdonald_omega_from_correlation(const SymMatrix& r, const OmegaOptions& opt = {},
                                            const std::string& what = "reliability");

}  // namespace traitlab::stats
