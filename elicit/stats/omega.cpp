// McDonald's omega_total from a one-factor minres fit.
//
// Minres minimises the off-diagonal residuals sum_{i!=j} (r_ij - l_i l_j)^2.
// Iterated principal axis (psi <- 1 - l^2, l = top eigenpair of R with
// diagonal 1 - psi) has exactly the minres stationarity condition at its
// fixed point: (R - Psi) l = |l|^2 l with l_i^2 = 1 - psi_i gives
// sum_{j!=i} (r_ij - l_i l_j) l_j = 0. factor_analyzer reaches the same point
// with L-BFGS-B on the uniquenesses; we iterate to a tight tolerance instead,
// which needs no gradient code and typically converges in 10-100 steps.
// Uniquenesses are clamped to [min_uniqueness, 1] like factor_analyzer's
// default bounds, so a Heywood case stays finite and matches its KKT point.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/util/error.h"
#include "elicit/stats/reliability.h"

namespace traitlab::stats {

OmegaResult mcdonald_omega_from_correlation(const SymMatrix& r, const OmegaOptions& opt,
                                            const std::string& what) {
  const std::size_t k = r.n;
  check_input(k >= 2, what, ": omega needs at least 2 items, got ", k);
  check_input(r.a.size() == k * k, what, ": correlation matrix is not square");
  for (std::size_t i = 0; i < k; ++i) {
    check_input(std::abs(r(i, i) - 1.0) < 1e-9, what, ": correlation matrix diagonal [", i, "] is ",
                r(i, i), ", expected 1");
    for (std::size_t j = 0; j < k; ++j)
      check_input(std::isfinite(r(i, j)) && std::abs(r(i, j) - r(j, i)) < 1e-9, what,
                  ": correlation matrix is not symmetric and finite at [", i, ",", j, "]");
  }
  check_input(opt.min_uniqueness >= 0.0 && opt.min_uniqueness < 1.0 && opt.max_iterations > 0 &&
                  opt.tolerance > 0.0,
              what, ": omega options out of range");

  // Start from 1 - smc as factor_analyzer and psych do; 0.5 if R is singular.
  std::vector<double> psi(k, 0.5);
  SymMatrix inv;
  if (spd_inverse(r, &inv))
    for (std::size_t i = 0; i < k; ++i) psi[i] = 1.0 / inv(i, i);
  auto clamp = [&](double p) { return std::min(1.0, std::max(opt.min_uniqueness, p)); };
  for (double& p : psi) p = clamp(p);

  OmegaResult out;
  std::vector<double> l(k, 0.0);
  SymMatrix m = r;
  for (int it = 1; it <= opt.max_iterations; ++it) {
    for (std::size_t i = 0; i < k; ++i) m(i, i) = 1.0 - psi[i];
    const SymEigen e = symmetric_eigen(m);
    const double root = std::sqrt(std::max(e.values[0], 0.0));
    double change = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      l[i] = e.vectors(i, 0) * root;
      const double next = clamp(1.0 - l[i] * l[i]);
      change = std::max(change, std::abs(next - psi[i]));
      psi[i] = next;
    }
    out.iterations = it;
    if (change < opt.tolerance) {
      out.converged = true;
      break;
    }
  }
  double sum_l = 0.0, sum_psi = 0.0;
  for (double x : l) sum_l += x;
  if (sum_l < 0)  // the eigenvector's sign is arbitrary; report positive-sum loadings
    for (double& x : l) x = -x;
  sum_l = std::abs(sum_l);
  out.uniquenesses.resize(k);
  for (std::size_t i = 0; i < k; ++i) {
    out.uniquenesses[i] = 1.0 - l[i] * l[i];
    sum_psi += out.uniquenesses[i];
  }
  out.loadings = l;
  out.omega = sum_l * sum_l / (sum_l * sum_l + sum_psi);
  return out;
}

OmegaResult mcdonald_omega(const Table& rows, const OmegaOptions& opt, const std::string& what) {
  check_table(rows, 3, 2, what);
  SymMatrix r;
  if (!correlation_matrix(rows, &r)) {
    OmegaResult nan;
    nan.omega = std::numeric_limits<double>::quiet_NaN();
    return nan;
  }
  return mcdonald_omega_from_correlation(r, opt, what);
}

}  // namespace traitlab::stats
