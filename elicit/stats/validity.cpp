#include "elicit/stats/validity.h"

#include <cmath>
#include <limits>

#include "core/util/error.h"
#include "elicit/stats/correlation.h"

namespace traitlab::stats {

double convergent_validity(const std::vector<double>& instrument_a,
                           const std::vector<double>& instrument_b, const std::string& what) {
  return pearson(instrument_a, instrument_b, what);
}

ValidityResult cross_instrument_validity(const Table& a, const Table& b, const std::string& what) {
  check_table(a, 3, 2, what + " (instrument A)");
  check_table(b, 3, 2, what + " (instrument B)");
  check_input(a.size() == b.size(), what, ": instrument A has ", a.size(), " participants, B has ",
              b.size());
  check_input(a[0].size() == b[0].size(), what, ": instrument A has ", a[0].size(),
              " traits, B has ", b[0].size());
  const std::size_t n = a.size(), t = a[0].size();
  auto column = [n](const Table& m, std::size_t j) {
    std::vector<double> c(n);
    for (std::size_t i = 0; i < n; ++i) c[i] = m[i][j];
    return c;
  };
  ValidityResult out;
  out.cross.assign(t, std::vector<double>(t));
  double diag_sum = 0.0, off_sum = 0.0;
  int diag_n = 0, off_n = 0;
  for (std::size_t i = 0; i < t; ++i)
    for (std::size_t j = 0; j < t; ++j) {
      const double r = pearson(column(a, i), column(b, j), what);
      out.cross[i][j] = r;
      if (std::isnan(r)) continue;
      if (i == j) {
        diag_sum += r;
        ++diag_n;
      } else {
        off_sum += std::abs(r);
        ++off_n;
      }
    }
  for (std::size_t i = 0; i < t; ++i) out.convergent.push_back(out.cross[i][i]);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.mean_convergent = diag_n > 0 ? diag_sum / diag_n : nan;
  out.discriminant = off_n > 0 ? off_sum / off_n : nan;
  return out;
}

}  // namespace traitlab::stats
