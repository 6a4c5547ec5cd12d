#include "elicit/stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/util/error.h"

namespace traitlab::stats {

std::uint64_t derive_seed(std::uint64_t base, const std::string& label) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64
  for (unsigned char c : label) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::uint64_t z = base ^ h;  // splitmix64 finaliser spreads nearby seeds apart
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double sorted_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

Interval bootstrap_ci(std::size_t n_items,
                      const std::function<double(const std::vector<std::size_t>&)>& statistic,
                      const BootstrapOptions& opt, const std::string& what) {
  check_input(n_items >= 1, what, ": no items to resample");
  check_input(opt.resamples >= 1, what, ": resamples must be >= 1, got ", opt.resamples);
  check_input(opt.level > 0.0 && opt.level < 1.0, what, ": level must be in (0, 1), got ",
              opt.level);
  std::mt19937_64 engine(opt.seed);
  // Rejection keeps the index uniform: accept x < limit, a multiple of n.
  const std::uint64_t n = n_items;
  const std::uint64_t rem = (std::numeric_limits<std::uint64_t>::max() % n + 1) % n;  // 2^64 mod n
  const std::uint64_t limit = rem == 0 ? 0 : (0 - rem);  // 0 means "accept everything"
  std::vector<std::size_t> idx(n_items);
  std::vector<double> stats;
  stats.reserve(opt.resamples);
  for (int b = 0; b < opt.resamples; ++b) {
    for (auto& i : idx) {
      std::uint64_t x = engine();
      while (limit != 0 && x >= limit) x = engine();
      i = static_cast<std::size_t>(x % n);
    }
    const double s = statistic(idx);
    if (std::isfinite(s)) stats.push_back(s);
  }
  Interval out;
  out.n_valid = static_cast<int>(stats.size());
  if (2 * stats.size() < static_cast<std::size_t>(opt.resamples)) {
    out.lo = out.hi = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  std::sort(stats.begin(), stats.end());
  out.lo = sorted_quantile(stats, (1.0 - opt.level) / 2.0);
  out.hi = sorted_quantile(stats, (1.0 + opt.level) / 2.0);
  return out;
}

Interval bootstrap_mean_ci(const std::vector<double>& values, const BootstrapOptions& opt,
                           const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i)
    check_input(std::isfinite(values[i]), what, ": value ", i, " is not finite");
  return bootstrap_ci(
      values.size(),
      [&](const std::vector<std::size_t>& idx) {
        double s = 0.0;
        for (std::size_t i : idx) s += values[i];
        return s / static_cast<double>(idx.size());
      },
      opt, what);
}

Interval bootstrap_trait_score_ci(const std::vector<Pole>& answers, const BootstrapOptions& opt,
                                  const std::string& what) {
  return bootstrap_ci(
      answers.size(),
      [&](const std::vector<std::size_t>& idx) {
        int high = 0, answered = 0;
        for (std::size_t i : idx) {
          if (answers[i] == Pole::Refused) continue;
          ++answered;
          if (answers[i] == Pole::High) ++high;
        }
        return answered > 0 ? 100.0 * high / answered : std::numeric_limits<double>::quiet_NaN();
      },
      opt, what);
}

}  // namespace traitlab::stats
