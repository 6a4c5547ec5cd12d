#include "experiments/world/population.h"

#include <algorithm>
#include <cmath>

#include "core/util/error.h"
#include "experiments/world/world_config.h"

namespace traitlab::world {

std::vector<double> cholesky(const std::vector<double>& a, int n, const std::string& where) {
  check_input(static_cast<int>(a.size()) == n * n, where, ": expected ", n * n, " values, got ",
              a.size());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < i; ++j)
      check_input(std::fabs(a[i * n + j] - a[j * n + i]) < 1e-12, where, ": not symmetric at row ",
                  i + 1, ", column ", j + 1);
  std::vector<double> l(n * n, 0.0);
  for (int j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    check_input(d > 1e-10, where, ": not positive definite (pivot ", j + 1, " is ", d, ")");
    l[j * n + j] = std::sqrt(d);
    for (int i = j + 1; i < n; ++i) {
      double s = a[i * n + j];
      for (int k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

std::vector<Respondent> sample_population(const WorldConfig& cfg, WorldRng& rng) {
  std::vector<double> cov(kNumTraits * kNumTraits);
  for (int i = 0; i < kNumTraits; ++i)
    for (int j = 0; j < kNumTraits; ++j)
      cov[i * kNumTraits + j] = cfg.sds[i] * cfg.correlation[i * kNumTraits + j] * cfg.sds[j];
  const std::vector<double> l = cholesky(cov, kNumTraits, "world: covariance D R D");
  std::vector<Respondent> out(cfg.respondents);
  for (int64_t r = 0; r < cfg.respondents; ++r) {
    TraitVector z;
    for (double& v : z) v = rng.normal();
    out[r].id = r;
    for (int i = 0; i < kNumTraits; ++i) {
      double s = cfg.means[i];
      for (int k = 0; k <= i; ++k) s += l[i * kNumTraits + k] * z[k];
      out[r].theta[i] = s;
    }
  }
  return out;
}

int theta_to_level(double theta) {
  const double x = std::floor(5.0 + 2.0 * theta + 0.5);
  return static_cast<int>(std::clamp(x, 1.0, 9.0));
}

double level_to_theta(int level) { return (level - 5) / 2.0; }

}  // namespace traitlab::world
