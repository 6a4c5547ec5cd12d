#include "elicit/stats/chi_square.h"

#include <cmath>
#include <limits>

#include "core/util/error.h"

namespace traitlab::stats {

double gamma_q(double a, double x) {
  check_input(a > 0.0 && x >= 0.0, "gamma_q: needs a > 0 and x >= 0, got a=", a, ", x=", x);
  if (x == 0.0) return 1.0;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  const double eps = 1e-16;
  if (x < a + 1.0) {  // P(a, x) by its power series; Q = 1 - P
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10000 && std::abs(term) > std::abs(sum) * eps; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return 1.0 - sum * std::exp(log_prefix);
  }
  // Q(a, x) by the continued fraction, modified Lentz (Numerical Recipes 6.2).
  const double tiny = 1e-300;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1.0) < eps) break;
  }
  return std::exp(log_prefix) * h;
}

double chi_square_sf(double x, int dof) {
  check_input(dof >= 1, "chi-square: degrees of freedom must be >= 1, got ", dof);
  if (std::isnan(x)) return x;
  return x <= 0.0 ? 1.0 : gamma_q(0.5 * dof, 0.5 * x);
}

ChiSquareTest chi_square_uniform(const std::vector<long>& counts) {
  check_input(counts.size() >= 2, "chi-square: need at least 2 categories, got ", counts.size());
  double total = 0.0;
  for (long c : counts) {
    check_input(c >= 0, "chi-square: negative count ", c);
    total += static_cast<double>(c);
  }
  ChiSquareTest t;
  t.dof = static_cast<int>(counts.size()) - 1;
  if (total == 0.0) {
    t.statistic = t.p_value = std::numeric_limits<double>::quiet_NaN();
    return t;
  }
  const double expected = total / static_cast<double>(counts.size());
  for (long c : counts) t.statistic += (c - expected) * (c - expected) / expected;
  t.p_value = chi_square_sf(t.statistic, t.dof);
  return t;
}

}  // namespace traitlab::stats
