#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "elicit/stats/correlation.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::expect_near;
using testing::goldens;
using testing::to_vec;

TEST(StatsCorrelation, MatchesScipyGoldens) {
  double worst = 0.0;
  for (const auto& c : goldens().at("correlation")) {
    const std::string name = c.at("name").get<std::string>();
    const auto x = to_vec(c.at("x")), y = to_vec(c.at("y"));
    const double p = pearson(x, y), s = spearman(x, y);
    expect_near(p, c.at("pearson").get<double>(), 1e-9, name + " pearson");
    expect_near(s, c.at("spearman").get<double>(), 1e-9, name + " spearman");
    testing::expect_all_near(average_ranks(x), to_vec(c.at("ranks_x")), 0.0, name + " ranks");
    worst = std::max({worst, std::abs(p - c.at("pearson").get<double>()),
                      std::abs(s - c.at("spearman").get<double>())});
  }
  std::printf("[stats] max |diff| pearson/spearman vs scipy %.3g\n", worst);
}

TEST(StatsCorrelation, TiesGetAverageRanks) {
  // 10 20 20 30 10 -> sorted 10,10,20,20,30: ranks 1.5, 3.5, 3.5, 5, 1.5.
  const std::vector<double> r = average_ranks({10, 20, 20, 30, 10});
  EXPECT_EQ(r, (std::vector<double>{1.5, 3.5, 3.5, 5, 1.5}));
  // A monotone but non-linear relation: rho is exactly 1, r is not.
  const std::vector<double> x = {1, 2, 3, 4, 5}, y = {1, 4, 9, 16, 100};
  EXPECT_DOUBLE_EQ(spearman(x, y), 1.0);
  EXPECT_LT(pearson(x, y), 0.95);
}

TEST(StatsCorrelation, DegenerateInputs) {
  EXPECT_TRUE(std::isnan(pearson({1, 2, 3}, {4, 4, 4})));
  EXPECT_TRUE(std::isnan(spearman({7, 7, 7, 7}, {1, 2, 3, 4})));
  EXPECT_THROW(pearson({1, 2}, {1, 2}), InputError);
  try {
    pearson({1, 2, 3}, {1, 2}, "convergent E");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "convergent E: samples differ in length (3 vs 2)");
  }
  EXPECT_THROW(spearman({1, 2, INFINITY}, {1, 2, 3}), InputError);
}

}  // namespace
}  // namespace traitlab::stats
