#include "elicit/stats/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/util/error.h"

namespace traitlab::stats {

namespace {
void check_pairs(const std::vector<double>& x, const std::vector<double>& y,
                 const std::string& what) {
  check_input(x.size() == y.size(), what, ": samples differ in length (", x.size(), " vs ",
              y.size(), ")");
  check_input(x.size() >= 3, what, ": need at least 3 pairs, got ", x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    check_input(std::isfinite(x[i]) && std::isfinite(y[i]), what, ": pair ", i, " is not finite");
}
}  // namespace

double pearson(const std::vector<double>& x, const std::vector<double>& y,
               const std::string& what) {
  check_pairs(x, y, what);
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  // Centre first: the textbook sum(xy) - n*mx*my form loses digits when the
  // means are large relative to the spread (Likert scores near 4.8).
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  const double r = sxy / std::sqrt(sxx * syy);
  return std::max(-1.0, std::min(1.0, r));
}

std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> ranks(x.size());
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && x[order[end]] == x[order[start]]) ++end;
    // Positions start..end-1 hold ranks start+1..end; their mean:
    const double rank = 0.5 * static_cast<double>(start + 1 + end);
    for (std::size_t p = start; p < end; ++p) ranks[order[p]] = rank;
    start = end;
  }
  return ranks;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y,
                const std::string& what) {
  check_pairs(x, y, what);
  return pearson(average_ranks(x), average_ranks(y), what);
}

}  // namespace traitlab::stats
