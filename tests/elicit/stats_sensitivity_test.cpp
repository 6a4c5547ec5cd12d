#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "elicit/stats/sensitivity.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::expect_near;
using testing::goldens;

TEST(StatsSensitivity, MatchesNumpyAndScipyGoldens) {
  const auto& g = goldens().at("sensitivity");
  for (const auto& c : g.at("conditions")) {
    const std::string name = c.at("name").get<std::string>();
    const auto s = condition_sensitivity(c.at("choices").get<std::vector<std::vector<int>>>());
    expect_near(s.flip_share, c.at("flip_share").get<double>(), 1e-12, name + " flip share");
    expect_near(s.pole_flip_share, c.at("pole_flip_share").get<double>(), 1e-12,
                name + " pole flip share");
    expect_near(s.mean_abs_delta_score, c.at("mean_abs_delta_score").get<double>(), 1e-9,
                name + " mean |delta score|");
    testing::expect_all_near(s.score_per_condition, testing::to_vec(c.at("scores")), 1e-9,
                             name + " scores");
  }
  expect_near(prompt_sensitivity(testing::to_vec(g.at("templates"))),
              g.at("prompt_sensitivity").get<double>(), 1e-9, "prompt sensitivity");
  const auto pb = position_bias(g.at("positions").get<std::vector<int>>(), 4);
  EXPECT_EQ(pb.counts, g.at("position_counts").get<std::vector<long>>());
  testing::expect_all_near(pb.rates, testing::to_vec(g.at("position_rates")), 1e-12, "rates");
  expect_near(pb.test.statistic, g.at("chi_square").get<double>(), 1e-9, "chi-square");
  expect_near(pb.test.p_value, g.at("chi_square_p").get<double>(), 1e-12, "chi-square p");
  EXPECT_EQ(pb.n_refused, g.at("refusals").get<long>());
  double worst_rel = 0.0;
  for (const auto& c : g.at("chi2_sf")) {
    const double ref = c.at("sf").get<double>();
    const double got = chi_square_sf(c.at("x").get<double>(), c.at("dof").get<int>());
    worst_rel = std::max(worst_rel, std::abs(got - ref) / ref);
  }
  EXPECT_LT(worst_rel, 1e-10) << testing::kRegenerate;
  std::printf("[stats] chi-square sf max relative diff vs scipy %.3g\n", worst_rel);
}

TEST(StatsSensitivity, ByHand) {
  // Item 0 same, item 1 flips H1 -> H2 (same pole), item 2 flips to a
  // refusal. Scores: order 0 has 2 high of 3 = 66.7, order 1 has 2 of 2 = 100.
  const auto s = order_sensitivity({{0, 0, 2}, {0, 1, -1}});
  EXPECT_NEAR(s.flip_share, 2.0 / 3, 1e-15);
  EXPECT_NEAR(s.pole_flip_share, 1.0 / 3, 1e-15);
  EXPECT_NEAR(s.mean_abs_delta_score, 100.0 / 3, 1e-12);
  const auto p = paraphrase_sensitivity({0, 3}, {0, 3});
  EXPECT_EQ(p.flip_share, 0.0);
  EXPECT_EQ(p.mean_abs_delta_score, 0.0);
  EXPECT_NEAR(prompt_sensitivity({40, 50, 60, NAN}), 10.0, 1e-12);
  EXPECT_TRUE(std::isnan(prompt_sensitivity({40})));
  EXPECT_DOUBLE_EQ(refusal_rate(3, 12), 0.25);
  EXPECT_TRUE(std::isnan(refusal_rate(0, 0)));
  // Always answering A: chi-square = (n - n/4)^2/(n/4) + 3 (n/4) = 3n.
  const auto pb = position_bias(std::vector<int>(20, 0), 4);
  EXPECT_NEAR(pb.test.statistic, 60.0, 1e-12);
  EXPECT_LT(pb.test.p_value, 1e-11);
  EXPECT_NEAR(chi_square_sf(3.841458820694124, 1), 0.05, 1e-12);
}

TEST(StatsSensitivity, BadInput) {
  EXPECT_THROW(order_sensitivity({{0, 1}}), InputError);
  EXPECT_THROW(order_sensitivity({{0, 1}, {0}}), InputError);
  EXPECT_THROW(order_sensitivity({{0, 4}, {0, 1}}), InputError);
  EXPECT_THROW(position_bias({0, 5}, 4), InputError);
  EXPECT_THROW(refusal_rate(5, 3), InputError);
  EXPECT_TRUE(std::isnan(position_bias({-1, -1}, 4).test.p_value));
}

}  // namespace
}  // namespace traitlab::stats
