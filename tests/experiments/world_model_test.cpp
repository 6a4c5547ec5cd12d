// Population, levels and the response models of the persona world.
#include <gtest/gtest.h>

#include <cmath>

#include "core/util/error.h"
#include "experiments/world/documents.h"
#include "experiments/world/persona_text.h"
#include "experiments/world/population.h"
#include "experiments/world/response_model.h"
#include "experiments/world/world_config.h"

namespace traitlab::world {

TEST(WorldPopulation, CholeskyReproducesTheMatrixAndRejectsIndefinite) {
  const std::vector<double> a = {4, 2, 0.4, 2, 5, 1, 0.4, 1, 3};
  const std::vector<double> l = cholesky(a, 3, "test");
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double s = 0;
      for (int k = 0; k < 3; ++k) s += l[i * 3 + k] * l[j * 3 + k];
      EXPECT_NEAR(s, a[i * 3 + j], 1e-12) << i << "," << j;
    }
  EXPECT_THROW(cholesky({1, 0.9, 0.9, 1, 0.9, -0.9, 0.9, -0.9, 1}, 3, "t"), InputError);
  EXPECT_THROW(cholesky({1, 0.5, 0.4, 1}, 2, "t"), InputError);  // not symmetric
}

TEST(WorldPopulation, SampleMomentsMatchTheConfig) {
  WorldConfig cfg;
  cfg.respondents = 20000;
  cfg.means[kExtraversion] = 0.5;
  cfg.sds[kNeuroticism] = 2.0;
  WorldRng rng(11);
  const auto people = sample_population(cfg, rng);
  ASSERT_EQ(people.size(), 20000u);
  const double n = people.size();
  TraitVector mean{}, sd{};
  for (const auto& p : people)
    for (int t = 0; t < kNumTraits; ++t) mean[t] += p.theta[t] / n;
  for (const auto& p : people)
    for (int t = 0; t < kNumTraits; ++t) sd[t] += std::pow(p.theta[t] - mean[t], 2) / n;
  for (int t = 0; t < kNumTraits; ++t) {
    sd[t] = std::sqrt(sd[t]);
    EXPECT_NEAR(mean[t], cfg.means[t], 5 * cfg.sds[t] / std::sqrt(n)) << trait_name(t);
    EXPECT_NEAR(sd[t], cfg.sds[t], 0.03 * cfg.sds[t]) << trait_name(t);
  }
  double worst = 0;
  for (int i = 0; i < kNumTraits; ++i)
    for (int j = 0; j < i; ++j) {
      double c = 0;
      for (const auto& p : people) c += (p.theta[i] - mean[i]) * (p.theta[j] - mean[j]) / n;
      const double r = c / (sd[i] * sd[j]);
      worst = std::max(worst, std::fabs(r - cfg.correlation[i * kNumTraits + j]));
    }
  EXPECT_LT(worst, 0.04) << "largest |sample r - configured r|";
}

TEST(WorldPopulation, LevelsRoundTripAndClamp) {
  for (int level = 1; level <= 9; ++level) EXPECT_EQ(theta_to_level(level_to_theta(level)), level);
  EXPECT_EQ(theta_to_level(-10), 1);
  EXPECT_EQ(theta_to_level(10), 9);
  EXPECT_EQ(theta_to_level(0.24), 5);
  EXPECT_EQ(theta_to_level(0.26), 6);
}

TEST(WorldConfigValidate, NamesTheBadKey) {
  WorldConfig cfg;
  cfg.correlation[1] = cfg.correlation[8] = 0.99;    // O-C
  cfg.correlation[2] = cfg.correlation[16] = -0.99;  // O-E
  cfg.correlation[10] = cfg.correlation[17] = 0.99;  // C-E
  try {
    cfg.validate("w.ini");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("w.ini: key 'correlation'"), std::string::npos)
        << e.what();
  }
  WorldConfig bad;
  bad.sds[3] = 0;
  EXPECT_THROW(bad.validate("w"), InputError);
  WorldConfig frac;
  frac.conditioned_fraction = 1.5;
  EXPECT_THROW(frac.validate("w"), InputError);
  WorldConfig().validate("defaults");  // the defaults are valid
}

TEST(WorldResponseModel, GradedResponseProbabilities) {
  GradedItem item{1.5, 1, {-1.5, -0.5, 0.5, 1.5}};
  double prev = 0;
  for (double theta = -3; theta <= 3; theta += 0.25) {
    const auto p = grm_probabilities(theta, item);
    ASSERT_EQ(p.size(), 5u);
    double s = 0;
    for (double v : p) {
      EXPECT_GE(v, 0.0);
      s += v;
    }
    EXPECT_NEAR(s, 1.0, 1e-12);
    const double e = grm_expected(theta, item);
    EXPECT_GT(e, prev);
    prev = e;
  }
  GradedItem rev = item;
  rev.key = -1;
  EXPECT_NEAR(grm_expected(1.0, rev), grm_expected(-1.0, item), 1e-12);
  // P(X >= 2) at theta = b_2 is one half.
  EXPECT_NEAR(1 - grm_probabilities(-1.5, item)[0], 0.5, 1e-12);
}

TEST(WorldResponseModel, SamplesFollowTheModel) {
  GradedItem item{1.2, -1, {-1.0, -0.2, 0.4, 1.3}};
  WorldRng rng(9);
  const double theta = 0.7;
  const int n = 50000;
  std::vector<int> hist(5, 0);
  for (int i = 0; i < n; ++i) ++hist[sample_grm(theta, item, rng) - 1];
  const auto p = grm_probabilities(theta, item);
  for (int k = 0; k < 5; ++k)
    EXPECT_NEAR(hist[k] / double(n), p[k], 5 * std::sqrt(p[k] * (1 - p[k]) / n)) << "X=" << k + 1;

  ScenarioItem it;
  it.a = 1.3;
  it.b = 0.4;
  int high = 0;
  for (int i = 0; i < n; ++i) high += option_is_high(choose_option(it, -0.5, rng));
  const double ph = p_high(-0.5, it.a, it.b);
  EXPECT_NEAR(high / double(n), ph, 5 * std::sqrt(ph * (1 - ph) / n));
  EXPECT_DOUBLE_EQ(p_high(0.4, 1.3, 0.4), 0.5);
}

TEST(WorldPersonaText, SentencesFollowTheLevel) {
  WorldRng rng(1);
  EXPECT_EQ(trait_sentence(kExtraversion, 5, rng), "I am neither talkative nor quiet.");
  const std::string s9 = trait_sentence(kExtraversion, 9, rng);
  EXPECT_EQ(s9.rfind("I am extremely ", 0), 0u) << s9;
  const std::string s2 = trait_sentence(kAgreeableness, 2, rng);
  EXPECT_EQ(s2.rfind("I am very ", 0), 0u) << s2;
  TraitVector theta{};
  const std::string d = persona_description(theta, rng);
  size_t sentences = 0;
  for (char c : d) sentences += c == '.';
  EXPECT_EQ(sentences, 8u) << d;
}

}  // namespace traitlab::world
