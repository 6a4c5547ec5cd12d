#pragma once
// Small dense linear algebra for the statistics in elicit/stats: the
// matrices here are items x items (k rarely above 100), so a plain
// row-major std::vector and O(k^3) algorithms are simpler and exact enough;
// no torch dependency is needed for a questionnaire's correlation matrix.
#include <cstddef>
#include <string>
#include <vector>

namespace traitlab::stats {

// Participants x items data as the callers hold it: rows[participant][item].
using Table = std::vector<std::vector<double>>;

// Square symmetric matrix, row-major.
struct SymMatrix {
  std::size_t n = 0;
  std::vector<double> a;  // n * n
  SymMatrix() = default;
  explicit SymMatrix(std::size_t n_, double fill = 0.0) : n(n_), a(n_ * n_, fill) {}
  double& operator()(std::size_t i, std::size_t j) { return a[i * n + j]; }
  double operator()(std::size_t i, std::size_t j) const { return a[i * n + j]; }
};

// Checks that `rows` is rectangular with at least `min_rows` rows and
// `min_cols` columns of finite values; InputError naming `what` otherwise.
void check_table(const Table& rows, std::size_t min_rows, std::size_t min_cols,
                 const std::string& what);

// Sample covariance (ddof = 1) of the columns of `rows`.
SymMatrix covariance_matrix(const Table& rows);

// Pearson correlation matrix of the columns. Returns false (and leaves `out`
// unspecified) when a column has zero variance.
bool correlation_matrix(const Table& rows, SymMatrix* out);

// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations:
// eigenvalues in descending order, eigenvectors as columns of `vectors`
// (vectors(i, j) = component i of eigenvector j).
struct SymEigen {
  std::vector<double> values;
  SymMatrix vectors;
};
SymEigen symmetric_eigen(const SymMatrix& m);

// Inverse of a symmetric positive-definite matrix via Cholesky. Returns
// false when the matrix is not numerically positive definite (a pivot below
// 1e-12 times the largest diagonal entry), e.g. a singular correlation matrix.
bool spd_inverse(const SymMatrix& m, SymMatrix* out);

}  // namespace traitlab::stats
