#pragma once
// Chi-square goodness of fit, for position bias.
#include <vector>

namespace traitlab::stats {

// Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a),
// a > 0, x >= 0 (series for x < a + 1, Lentz continued fraction otherwise;
// relative accuracy ~1e-14).
double gamma_q(double a, double x);

// P(X >= x) for X ~ chi-square with `dof` degrees of freedom.
double chi_square_sf(double x, int dof);

struct ChiSquareTest {
  double statistic = 0.0;  // sum (observed - expected)^2 / expected
  int dof = 0;             // categories - 1
  double p_value = 0.0;
};

// Test of observed counts against equal expected counts (scipy.stats.chisquare
// with its default f_exp). NaN statistic and p when the total is zero.
ChiSquareTest chi_square_uniform(const std::vector<long>& counts);

}  // namespace traitlab::stats
