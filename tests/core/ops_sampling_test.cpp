#include <gtest/gtest.h>

#include "core/ops/sampling.h"
#include "core/util/error.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

using testing::as_vec;
using testing::kRegenerate;
using testing::ops_goldens;

TEST(OpsSampling, DistributionMatchesTransformersWarpers) {
  const auto& s = ops_goldens()["sampling"];
  auto logits = torch::tensor(as_vec<double>(s["logits"]), torch::kFloat64);
  for (const auto& c : s["cases"]) {
    SamplingParams p;
    p.temperature = c["temperature"];
    p.top_k = c["top_k"];
    p.top_p = c["top_p"];
    auto got = sampling_distribution(logits, p);
    auto want = torch::tensor(as_vec<double>(c["probs"]), torch::kFloat64);
    double d = (got - want).abs().max().item<double>();
    EXPECT_LT(d, 1e-9) << "T=" << p.temperature << " k=" << p.top_k << " p=" << p.top_p
                       << " max |diff| " << d << " at "
                       << (got - want).abs().argmax().item<int64_t>() << "; " << kRegenerate;
  }
}

TEST(OpsSampling, GreedyAndTopOneAreArgmax) {
  auto logits = torch::tensor({0.1, 2.5, -1.0, 2.4}, torch::kFloat32);
  RngStream rng(3);
  SamplingParams greedy;
  EXPECT_EQ(sample_token(logits, greedy, rng), 1);
  SamplingParams top1;
  top1.temperature = 1.5;
  top1.top_k = 1;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(sample_token(logits, top1, rng), 1);
}

TEST(OpsSampling, FrequenciesFollowTheDistribution) {
  auto probs = torch::tensor({0.5, 0.25, 0.15, 0.1}, torch::kFloat64);
  SamplingParams p;
  p.temperature = 1.0;
  RngStream rng(42);
  std::vector<int> counts(4, 0);
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++counts[sample_token(torch::log(probs), p, rng)];
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(counts[k] / double(n), probs[k].item<double>(), 0.015) << "token " << k;
  }
}

TEST(OpsSampling, StreamsAreReproducibleAndSeedDependent) {
  RngStream a(11), b(11), c(12);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs = differs || x != c.next_u64();
    const double u = a.next_double();
    b.next_double();
    c.next_double();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
  EXPECT_TRUE(differs);
}

TEST(OpsSampling, ValidatesParameters) {
  SamplingParams p;
  p.temperature = -1;
  EXPECT_THROW(p.validate(), InputError);
  p = {};
  p.top_p = 0.0;
  EXPECT_THROW(p.validate(), InputError);
  p = {};
  p.top_k = -2;
  EXPECT_THROW(p.validate(), InputError);
  EXPECT_NO_THROW(SamplingParams{}.validate());
}

}  // namespace
}  // namespace traitlab
