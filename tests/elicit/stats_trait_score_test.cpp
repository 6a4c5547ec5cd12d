#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "elicit/stats/trait_score.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::expect_near;
using testing::goldens;

// TRAIT's orders (REFERENCE.md): original A=H1 B=L1 C=H2 D=L2, reversed
// A=L1 B=H1 C=L2 D=H2, as canonical indices (0 H1, 1 H2, 2 L1, 3 L2).
constexpr std::array<int, 4> kOriginal = {0, 2, 1, 3};
constexpr std::array<int, 4> kReversed = {2, 0, 3, 1};

TEST(StatsTraitScore, TwoOrderRuleByHand) {
  // Letters A..D in each order, unnormalised (they need not sum to 1).
  const std::array<double, 4> orig = {0.4, 0.1, 0.2, 0.1};  // sums to 0.8
  const std::array<double, 4> rev = {0.3, 0.3, 0.2, 0.2};   // sums to 1.0
  const OptionProbs avg =
      average_orders({to_canonical(orig, kOriginal), to_canonical(rev, kReversed)});
  // P(H1) = 1/2 [p_A + p^rev_B] = 1/2 [0.4/0.8 + 0.3] = 0.4
  EXPECT_NEAR(avg[0], 0.4, 1e-15);
  EXPECT_NEAR(avg[1], 0.5 * (0.2 / 0.8 + 0.2), 1e-15);  // H2: C, rev D
  EXPECT_NEAR(avg[2], 0.5 * (0.1 / 0.8 + 0.3), 1e-15);  // L1: B, rev A
  EXPECT_NEAR(avg[3], 0.5 * (0.1 / 0.8 + 0.2), 1e-15);  // L2: D, rev C
  EXPECT_EQ(argmax_option(avg), 0);
  EXPECT_NEAR(p_high(avg), 0.4 + 0.225, 1e-15);
  EXPECT_THROW(to_canonical(orig, {0, 0, 1, 2}), InputError);
  EXPECT_THROW(renormalise({0, 0, 0, 0}), InputError);
  EXPECT_THROW(renormalise({0.5, -0.1, 0.3, 0.3}), InputError);
}

TEST(StatsTraitScore, MatchesNumpyGoldens) {
  const auto& g = goldens().at("scoring");
  std::vector<double> ph;
  std::vector<Pole> poles;
  const std::string pole_codes = g.at("poles").get<std::string>();
  int i = 0;
  for (const auto& it : g.at("items")) {
    std::vector<OptionProbs> orders;
    for (const auto& o : it.at("orders_canonical")) orders.push_back(o.get<OptionProbs>());
    const OptionProbs avg = average_orders(orders);
    testing::expect_all_near({avg.begin(), avg.end()}, testing::to_vec(it.at("averaged")), 1e-12,
                             "item " + std::to_string(i));
    EXPECT_EQ(argmax_option(avg), it.at("choice").get<int>()) << "item " << i;
    const bool refused = pole_codes[i] == 'R';
    poles.push_back(refused ? Pole::Refused : pole_of_option(argmax_option(avg)));
    EXPECT_EQ(pole_codes[i], refused ? 'R' : (poles.back() == Pole::High ? 'H' : 'L'));
    ph.push_back(refused ? NAN : p_high(avg));
    ++i;
  }
  const TraitScore s = trait_score(poles);
  expect_near(s.score, g.at("trait_score").get<double>(), 1e-9, "binary trait score");
  EXPECT_EQ(s.n_high + s.n_low + s.n_refused, static_cast<int>(poles.size()));
  expect_near(weighted_trait_score(ph), g.at("weighted_score").get<double>(), 1e-9,
              "weighted trait score");
  for (const auto& l : g.at("likert")) {
    const int k = l.at("scale_points").get<int>();
    expect_near(likert_scale_score(testing::to_vec(l.at("responses")),
                                   l.at("keys").get<std::vector<int>>(), k),
                l.at("scale_score").get<double>(), 1e-12, "likert scale score");
    expect_near(expected_likert(testing::to_vec(l.at("probs"))), l.at("expected").get<double>(),
                1e-12, "expected likert");
  }
}

TEST(StatsTraitScore, RefusalsAndKeying) {
  const TraitScore s = trait_score({Pole::High, Pole::Refused, Pole::Low, Pole::High});
  EXPECT_NEAR(s.score, 100.0 * 2 / 3, 1e-12);
  EXPECT_EQ(s.n_refused, 1);
  EXPECT_TRUE(std::isnan(trait_score({Pole::Refused}).score));
  EXPECT_TRUE(std::isnan(weighted_trait_score({NAN, NAN})));
  EXPECT_THROW(weighted_trait_score({0.5, 1.2}), InputError);
  EXPECT_EQ(keyed_likert(2, -1, 5), 4);
  EXPECT_EQ(keyed_likert(2, 1, 5), 2);
  EXPECT_NEAR(likert_scale_score({5, 1, NAN}, {1, -1, 1}, 5), 5.0, 1e-15);
  EXPECT_THROW(keyed_likert(6, 1, 5), InputError);
  EXPECT_THROW(keyed_likert(3, 0, 5), InputError);
  EXPECT_THROW(likert_scale_score({1, 2}, {1}, 5), InputError);
  EXPECT_NEAR(expected_likert({0, 0, 2, 0, 2}), 4.0, 1e-15);
  EXPECT_EQ(pole_of_option(1), Pole::High);
  EXPECT_EQ(pole_of_option(2), Pole::Low);
  EXPECT_THROW(pole_of_option(4), InputError);
}

}  // namespace
}  // namespace traitlab::stats
