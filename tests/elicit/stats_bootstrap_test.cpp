#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/util/error.h"
#include "elicit/stats/bootstrap.h"
#include "tests/elicit/stats_goldens.h"

namespace traitlab::stats {
namespace {

using testing::expect_near;
using testing::goldens;

TEST(StatsBootstrap, Mt19937_64IsTheStandardSequence) {
  // [rand.predef]: the 10000th output of a default-constructed mt19937_64.
  std::mt19937_64 g;
  g.discard(9999);
  EXPECT_EQ(g(), 9981545732273789042ULL);
}

TEST(StatsBootstrap, MatchesPythonReimplementation) {
  const std::uint64_t base = goldens().at("generator").at("seed").get<std::uint64_t>();
  for (const auto& c : goldens().at("bootstrap")) {
    const std::string name = c.at("name").get<std::string>();
    BootstrapOptions opt;
    opt.resamples = c.at("resamples").get<int>();
    opt.level = c.at("level").get<double>();
    opt.seed = derive_seed(base, c.at("label").get<std::string>());
    EXPECT_EQ(std::to_string(opt.seed), c.at("seed").get<std::string>()) << name;
    // The first resample's indices pin the sampling rule itself.
    std::vector<std::size_t> first;
    const std::size_t n = c.at("first_indices").size();
    BootstrapOptions one = opt;
    one.resamples = 1;
    bootstrap_ci(
        n, [&](const std::vector<std::size_t>& idx) { return first = idx, 0.0; }, one);
    EXPECT_EQ(first, c.at("first_indices").get<std::vector<std::size_t>>()) << name;
    Interval ci;
    if (c.at("kind") == "mean") {
      ci = bootstrap_mean_ci(testing::to_vec(c.at("values")), opt);
    } else {
      std::vector<Pole> poles;
      for (char p : c.at("poles").get<std::string>())
        poles.push_back(p == 'H' ? Pole::High : p == 'L' ? Pole::Low : Pole::Refused);
      ci = bootstrap_trait_score_ci(poles, opt);
    }
    expect_near(ci.lo, c.at("lo").get<double>(), 1e-9, name + " lo");
    expect_near(ci.hi, c.at("hi").get<double>(), 1e-9, name + " hi");
    EXPECT_EQ(ci.n_valid, c.at("n_valid").get<int>()) << name;
  }
}

TEST(StatsBootstrap, DeterministicAndCloseToNormalTheory) {
  std::mt19937_64 g(7);
  std::normal_distribution<double> nd(50.0, 10.0);
  std::vector<double> v(400);
  for (double& x : v) x = nd(g);
  BootstrapOptions opt;
  opt.seed = derive_seed(1, "test");
  const Interval a = bootstrap_mean_ci(v, opt), b = bootstrap_mean_ci(v, opt);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  opt.seed = derive_seed(2, "test");
  const Interval c = bootstrap_mean_ci(v, opt);
  EXPECT_NE(a.lo, c.lo);
  // For n = 400 the percentile interval is close to mean +- 1.96 sd/sqrt(n).
  double mean = 0.0, ss = 0.0;
  for (double x : v) mean += x / v.size();
  for (double x : v) ss += (x - mean) * (x - mean);
  const double half = 1.96 * std::sqrt(ss / (v.size() - 1) / v.size());
  EXPECT_NEAR(a.lo, mean - half, 0.1 * half);
  EXPECT_NEAR(a.hi, mean + half, 0.1 * half);
  EXPECT_NE(derive_seed(1, "a"), derive_seed(1, "b"));
}

TEST(StatsBootstrap, EdgeCases) {
  EXPECT_THROW(bootstrap_mean_ci({}), InputError);
  BootstrapOptions bad;
  bad.level = 1.0;
  EXPECT_THROW(bootstrap_mean_ci({1, 2}, bad), InputError);
  const Interval all_refused = bootstrap_trait_score_ci({Pole::Refused, Pole::Refused});
  EXPECT_TRUE(std::isnan(all_refused.lo));
  EXPECT_EQ(all_refused.n_valid, 0);
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(sorted_quantile({1, 2, 3, 4}, 0.025), 1.075);
}

}  // namespace
}  // namespace traitlab::stats
