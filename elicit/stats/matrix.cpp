#include "elicit/stats/matrix.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/util/error.h"

namespace traitlab::stats {

void check_table(const Table& rows, std::size_t min_rows, std::size_t min_cols,
                 const std::string& what) {
  check_input(rows.size() >= min_rows, what, ": need at least ", min_rows,
              " participants (rows), got ", rows.size());
  const std::size_t k = rows.empty() ? 0 : rows[0].size();
  check_input(k >= min_cols, what, ": need at least ", min_cols, " items (columns), got ", k);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_input(rows[i].size() == k, what, ": row ", i, " has ", rows[i].size(),
                " values, expected ", k, " like row 0");
    for (std::size_t j = 0; j < k; ++j)
      check_input(std::isfinite(rows[i][j]), what, ": row ", i, ", column ", j,
                  " is not a finite number");
  }
}

SymMatrix covariance_matrix(const Table& rows) {
  const std::size_t n = rows.size(), k = rows.empty() ? 0 : rows[0].size();
  std::vector<double> mean(k, 0.0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < k; ++j) mean[j] += r[j];
  for (double& m : mean) m /= static_cast<double>(n);
  SymMatrix c(k);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i; j < k; ++j) c(i, j) += (r[i] - mean[i]) * (r[j] - mean[j]);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i; j < k; ++j) {
      c(i, j) /= static_cast<double>(n - 1);
      c(j, i) = c(i, j);
    }
  return c;
}

bool correlation_matrix(const Table& rows, SymMatrix* out) {
  SymMatrix c = covariance_matrix(rows);
  std::vector<double> sd(c.n);
  for (std::size_t i = 0; i < c.n; ++i) {
    if (!(c(i, i) > 0.0)) return false;
    sd[i] = std::sqrt(c(i, i));
  }
  for (std::size_t i = 0; i < c.n; ++i)
    for (std::size_t j = 0; j < c.n; ++j) c(i, j) = i == j ? 1.0 : c(i, j) / (sd[i] * sd[j]);
  *out = std::move(c);
  return true;
}

SymEigen symmetric_eigen(const SymMatrix& m) {
  const std::size_t n = m.n;
  SymMatrix a = m, v(n);
  for (std::size_t i = 0; i < n; ++i) v(i, i) = 1.0;
  double scale = 0.0;
  for (double x : a.a) scale = std::max(scale, std::abs(x));
  // Cyclic Jacobi converges quadratically; 100 sweeps is far beyond what a
  // well-formed matrix needs and only guards against NaN input looping.
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a(p, q) * a(p, q);
    if (!(off > 1e-30 * scale * scale)) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        if (a(p, q) == 0.0) continue;
        // Rotation angle that zeroes a(p,q) (Golub & Van Loan, sym.schur2).
        const double theta = (a(q, q) - a(p, p)) / (2.0 * a(p, q));
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1.0 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // A <- A J (columns p, q)
          const double akp = a(k, p), akq = a(k, q);
          a(k, p) = c * akp - s * akq;
          a(k, q) = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // A <- J^T A (rows p, q)
          const double apk = a(p, k), aqk = a(q, k);
          a(p, k) = c * apk - s * aqk;
          a(q, k) = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v(k, p), vkq = v(k, q);
          v(k, p) = c * vkp - s * vkq;
          v(k, q) = s * vkp + c * vkq;
        }
      }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return a(x, x) > a(y, y); });
  SymEigen out;
  out.vectors = SymMatrix(n);
  for (std::size_t j = 0; j < n; ++j) {
    out.values.push_back(a(order[j], order[j]));
    for (std::size_t i = 0; i < n; ++i) out.vectors(i, j) = v(i, order[j]);
  }
  return out;
}

bool spd_inverse(const SymMatrix& m, SymMatrix* out) {
  const std::size_t n = m.n;
  double max_diag = 0.0;
  for (std::size_t i = 0; i < n; ++i) max_diag = std::max(max_diag, m(i, i));
  SymMatrix l(n);  // lower-triangular Cholesky factor
  for (std::size_t j = 0; j < n; ++j) {
    double d = m(j, j);
    for (std::size_t k = 0; k < j; ++k) d -= l(j, k) * l(j, k);
    if (!(d > 1e-12 * max_diag)) return false;
    l(j, j) = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = m(i, j);
      for (std::size_t k = 0; k < j; ++k) s -= l(i, k) * l(j, k);
      l(i, j) = s / l(j, j);
    }
  }
  // Solve L L^T X = I column by column.
  SymMatrix inv(n);
  std::vector<double> y(n);
  for (std::size_t c = 0; c < n; ++c) {
    for (std::size_t i = 0; i < n; ++i) {
      double s = i == c ? 1.0 : 0.0;
      for (std::size_t k = 0; k < i; ++k) s -= l(i, k) * y[k];
      y[i] = s / l(i, i);
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = y[i];
      for (std::size_t k = i + 1; k < n; ++k) s -= l(k, i) * inv(k, c);
      inv(i, c) = s / l(i, i);
    }
  }
  *out = std::move(inv);
  return true;
}

}  // namespace traitlab::stats
