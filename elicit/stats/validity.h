#pragma once
// Convergent and discriminant validity between two instruments that measure
// the same traits (Serapio-Garcia et al. 2023; Campbell & Fiske's
// multitrait-multimethod logic). Definitions: docs/metrics.md.
#include <string>
#include <vector>

#include "elicit/stats/matrix.h"

namespace traitlab::stats {

// Pearson r between the two instruments' scale scores for one trait across
// simulated participants.
double convergent_validity(const std::vector<double>& instrument_a,
                           const std::vector<double>& instrument_b,
                           const std::string& what = "convergent validity");

struct ValidityResult {
  // cross[i][j] = Pearson r of trait i on instrument A with trait j on B.
  std::vector<std::vector<double>> cross;
  std::vector<double> convergent;  // the diagonal, one per trait
  double mean_convergent = 0.0;    // mean of the finite diagonal entries
  double discriminant = 0.0;       // mean |r| of the finite off-diagonal entries
};

// a[participant][trait] and b[participant][trait]: scale scores, traits in
// the same column order, same participants in the same row order. Needs at
// least 3 participants and 2 traits. Entries that are NaN (a trait with zero
// variance) are left out of the means; a mean over nothing is NaN.
ValidityResult cross_instrument_validity(const Table& a, const Table& b,
                                         const std::string& what = "validity");

}  // namespace traitlab::stats
