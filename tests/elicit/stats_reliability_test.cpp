#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "elicit/stats/reliability.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::expect_all_near;
using testing::expect_near;
using testing::goldens;

TEST(StatsReliability, MatchesNumpyAndFactorAnalyzerGoldens) {
  double worst_closed = 0.0, worst_fa = 0.0, worst_tight = 0.0;
  for (const auto& c : goldens().at("reliability")) {
    const std::string name = c.at("name").get<std::string>();
    const Table rows = testing::to_table(c.at("rows"));
    const double a = cronbach_alpha(rows), l6 = guttman_lambda6(rows);
    const OmegaResult om = mcdonald_omega(rows);
    expect_near(a, c.at("alpha").get<double>(), 1e-9, name + " alpha");
    expect_near(l6, c.at("lambda6").get<double>(), 1e-9, name + " lambda6");
    EXPECT_TRUE(om.converged) << name << " after " << om.iterations << " iterations";
    expect_near(om.omega, c.at("omega_factor_analyzer").get<double>(), 1e-4,
                name + " omega vs factor_analyzer");
    expect_near(om.omega, c.at("omega_tight").get<double>(), 1e-7, name + " omega vs tight");
    expect_all_near(om.loadings, testing::to_vec(c.at("loadings_tight")), 1e-5,
                    name + " loadings vs tight");
    worst_closed = std::max({worst_closed, std::abs(a - c.at("alpha").get<double>()),
                             std::abs(l6 - c.at("lambda6").get<double>())});
    worst_fa = std::max(worst_fa, std::abs(om.omega - c.at("omega_factor_analyzer").get<double>()));
    worst_tight = std::max(worst_tight, std::abs(om.omega - c.at("omega_tight").get<double>()));
  }
  std::printf(
      "[stats] max |diff| alpha/lambda6 %.3g, omega vs factor_analyzer %.3g, vs tight %.3g\n",
      worst_closed, worst_fa, worst_tight);
}

TEST(StatsReliability, AlphaByHand) {
  // Items (columns) 1,2,3 / 2,2,5 / 2,3,4: variances 1, 3, 1 (sum 5);
  // row totals 5, 7, 12 have variance 13. alpha = 3/2 * (1 - 5/13) = 12/13.
  const Table x = {{1, 2, 2}, {2, 2, 3}, {3, 5, 4}};
  EXPECT_NEAR(cronbach_alpha(x), 12.0 / 13.0, 1e-15);
}

TEST(StatsReliability, TwoItemsReduceToClosedForms) {
  // With two items of correlation r: smc = r^2, so lambda6 = 1 - 2(1-r^2)/(2+2r)
  // = r; the one-factor fit has l1 = l2 = sqrt(r), so omega = 4r/(4r + 2 - 2r)
  // = 2r/(1+r), the Spearman-Brown formula.
  const Table x = {{1, 2}, {2, 1}, {3, 4}, {4, 3}, {5, 5}, {2, 3}};
  SymMatrix r;
  ASSERT_TRUE(correlation_matrix(x, &r));
  const double rho = r(0, 1);
  EXPECT_NEAR(guttman_lambda6(x), rho, 1e-12);
  const OmegaResult om = mcdonald_omega(x);
  EXPECT_NEAR(om.omega, 2 * rho / (1 + rho), 1e-9);
  EXPECT_NEAR(om.loadings[0], std::sqrt(rho), 1e-6);
}

TEST(StatsReliability, DegenerateInputs) {
  EXPECT_THROW(cronbach_alpha({{1, 2}, {2, 3}}), InputError);  // 2 participants
  EXPECT_THROW(cronbach_alpha({{1}, {2}, {3}}), InputError);   // 1 item
  EXPECT_THROW(guttman_lambda6({{1, 2}, {2}, {3, 4}}), InputError);
  EXPECT_THROW(mcdonald_omega({{1, 2}, {2, NAN}, {3, 4}}), InputError);
  try {
    cronbach_alpha({{1, 2}, {2, 3, 4}, {3, 4}}, "scale E");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "scale E: row 1 has 3 values, expected 2 like row 0");
  }
  // Every participant answers identically: no variance -> NaN, not a crash.
  const Table flat = {{3, 3, 3}, {3, 3, 3}, {3, 3, 3}};
  EXPECT_TRUE(std::isnan(cronbach_alpha(flat)));
  EXPECT_TRUE(std::isnan(guttman_lambda6(flat)));
  EXPECT_TRUE(std::isnan(mcdonald_omega(flat).omega));
  // One constant item: alpha is defined, lambda6/omega (correlation-based) are not.
  const Table one_flat = {{1, 3, 2}, {2, 3, 3}, {3, 3, 5}, {4, 3, 4}};
  EXPECT_TRUE(std::isfinite(cronbach_alpha(one_flat)));
  EXPECT_TRUE(std::isnan(guttman_lambda6(one_flat)));
  // Fewer participants than items: R is singular, lambda6 undefined.
  const Table wide = {{1, 2, 3, 4, 1}, {2, 1, 4, 3, 2}, {3, 3, 1, 2, 5}};
  EXPECT_TRUE(std::isnan(guttman_lambda6(wide)));
}

TEST(StatsMatrix, EigenAndInverseReconstruct) {
  SymMatrix m(4);
  const double v[4][4] = {{4, 1, -2, 0.5}, {1, 3, 0.3, 0}, {-2, 0.3, 5, 1}, {0.5, 0, 1, 2}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) m(i, j) = v[i][j];
  const SymEigen e = symmetric_eigen(m);
  for (int i = 1; i < 4; ++i) EXPECT_GE(e.values[i - 1], e.values[i]);
  double worst = 0.0;  // V diag(w) V^T == m
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = 0.0;
      for (int k = 0; k < 4; ++k) s += e.vectors(i, k) * e.values[k] * e.vectors(j, k);
      worst = std::max(worst, std::abs(s - m(i, j)));
    }
  EXPECT_LT(worst, 1e-12);
  SymMatrix inv;
  ASSERT_TRUE(spd_inverse(m, &inv));
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      double s = 0.0;
      for (int k = 0; k < 4; ++k) s += m(i, k) * inv(k, j);
      EXPECT_NEAR(s, i == j ? 1.0 : 0.0, 1e-12);
    }
  SymMatrix singular(2, 1.0);
  EXPECT_FALSE(spd_inverse(singular, &inv));
}

}  // namespace
}  // namespace traitlab::stats
