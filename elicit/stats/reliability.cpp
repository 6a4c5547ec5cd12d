// Cronbach's alpha and Guttman's lambda6 (omega lives in omega.cpp).
#include "elicit/stats/reliability.h"

#include <cmath>
#include <limits>

namespace traitlab::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double cronbach_alpha(const Table& rows, const std::string& what) {
  check_table(rows, 3, 2, what);
  const SymMatrix c = covariance_matrix(rows);
  const double k = static_cast<double>(c.n);
  double sum_item_var = 0.0, var_total = 0.0;  // var of a sum = sum of all covariances
  for (std::size_t i = 0; i < c.n; ++i) {
    sum_item_var += c(i, i);
    for (std::size_t j = 0; j < c.n; ++j) var_total += c(i, j);
  }
  if (!(var_total > 0.0)) return kNaN;
  return k / (k - 1.0) * (1.0 - sum_item_var / var_total);
}

double guttman_lambda6(const Table& rows, const std::string& what) {
  check_table(rows, 3, 2, what);
  SymMatrix r, inv;
  if (!correlation_matrix(rows, &r) || !spd_inverse(r, &inv)) return kNaN;
  double sum_r = 0.0, sum_unexplained = 0.0;
  for (std::size_t i = 0; i < r.n; ++i) {
    sum_unexplained += 1.0 / inv(i, i);  // 1 - smc_i
    for (std::size_t j = 0; j < r.n; ++j) sum_r += r(i, j);
  }
  return 1.0 - sum_unexplained / sum_r;
}

}  // namespace traitlab::stats
