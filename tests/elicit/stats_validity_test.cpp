#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "elicit/stats/validity.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::goldens;

TEST(StatsValidity, MatchesNumpyGoldens) {
  const auto& g = goldens().at("validity");
  const ValidityResult v =
      cross_instrument_validity(testing::to_table(g.at("a")), testing::to_table(g.at("b")));
  const Table ref = testing::to_table(g.at("cross"));
  for (std::size_t i = 0; i < ref.size(); ++i)
    testing::expect_all_near(v.cross[i], ref[i], 1e-9, "cross row " + std::to_string(i));
  testing::expect_near(v.mean_convergent, g.at("mean_convergent").get<double>(), 1e-9,
                       "mean convergent");
  testing::expect_near(v.discriminant, g.at("discriminant").get<double>(), 1e-9, "discriminant");
  EXPECT_GT(v.mean_convergent, v.discriminant);  // the planted structure is visible
}

TEST(StatsValidity, ByHandAndBadInput) {
  // B's trait 0 equals A's trait 0; B's trait 1 is A's trait 1 reversed.
  const Table a = {{1, 5}, {2, 3}, {3, 4}, {4, 1}};
  const Table b = {{1, -5}, {2, -3}, {3, -4}, {4, -1}};
  const ValidityResult v = cross_instrument_validity(a, b);
  EXPECT_NEAR(v.convergent[0], 1.0, 1e-15);
  EXPECT_NEAR(v.convergent[1], -1.0, 1e-15);
  EXPECT_NEAR(v.discriminant, std::abs(v.cross[0][1]), 1e-15);
  EXPECT_NEAR(std::abs(v.cross[0][1]), std::abs(v.cross[1][0]), 1e-15);
  // x deviations -1, 0, 1; y = 2, 4, 7 has deviations -7/3, -1/3, 8/3:
  // sxy = 5, sxx = 2, syy = 114/9, r = 5 / sqrt(228/9) = 15 / sqrt(228).
  EXPECT_NEAR(convergent_validity({1, 2, 3}, {2, 4, 7}), 15.0 / std::sqrt(228.0), 1e-15);
  EXPECT_THROW(cross_instrument_validity(a, {{1, 2}, {2, 3}, {3, 4}}), InputError);
  EXPECT_THROW(cross_instrument_validity(a, {{1}, {2}, {3}, {4}}), InputError);
}

}  // namespace
}  // namespace traitlab::stats
