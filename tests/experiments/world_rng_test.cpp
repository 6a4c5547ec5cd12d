#include <gtest/gtest.h>

#include <cmath>

#include "experiments/world/rng.h"

namespace traitlab::world {

TEST(WorldRng, NormalHasUnitMomentsAndUniformIsInRange) {
  WorldRng rng(7);
  const int n = 200000;
  double s = 0, s2 = 0, s4 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    s += z;
    s2 += z * z;
    s4 += z * z * z * z;
  }
  const double mean = s / n, var = s2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s4 / n, 3.0, 0.1);  // kurtosis of a normal
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

TEST(WorldRng, BelowIsUniformWithoutBias) {
  WorldRng rng(3);
  const int n = 70000, k = 7;
  std::vector<int> hist(k, 0);
  for (int i = 0; i < n; ++i) {
    const uint64_t v = rng.below(k);
    ASSERT_LT(v, static_cast<uint64_t>(k));
    ++hist[v];
  }
  const double expect = static_cast<double>(n) / k, sd = std::sqrt(expect * (1 - 1.0 / k));
  for (int c : hist) EXPECT_NEAR(c, expect, 5 * sd);
  EXPECT_EQ(rng.below(1), 0u);
}

TEST(WorldRng, StreamsAreReproducibleAndDistinct) {
  WorldRng a = WorldRng::stream(42, "corpus"), b = WorldRng::stream(42, "corpus");
  WorldRng c = WorldRng::stream(42, "items"), d = WorldRng::stream(43, "corpus");
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    same_c += x == c.next();
    same_d += x == d.next();
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(WorldRng, ShuffleIsAPermutation) {
  WorldRng rng(5);
  std::vector<int> v(50);
  for (int i = 0; i < 50; ++i) v[i] = i;
  rng.shuffle(v);
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);
  int fixed = 0;
  for (int i = 0; i < 50; ++i) fixed += v[i] == i;
  EXPECT_LT(fixed, 10);
}

}  // namespace traitlab::world
