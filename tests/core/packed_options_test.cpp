// Packed multi-option scoring (core/ops/packed_options.h): the layout on its
// own, then packed sums against scoring each [context + option] separately
// (score_continuation) and from the shared KV cache (score_options), per
// device and dtype, on tiny random models of every family; and the errors.
// CUDA cases skip without a GPU.
#include "core/ops/packed_options.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>
#include <string>
#include <tuple>

#include "core/ops/loglik.h"
#include "core/util/device.h"
#include "core/util/error.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

TEST(PackedLayout, PositionsRestartAndOptionsSeeOnlyContextAndThemselves) {
  // context 3 tokens; options of 3, 1 and 2 tokens -> 3 + 2 + 0 + 1 slots.
  const OptionSet s{{10, 11, 12}, {{20, 21, 22}, {30}, {40, 41}}};
  EXPECT_EQ(packed_length(s), 6);
  const PackedBatch pb = pack_option_sets({s}, 16);
  EXPECT_TRUE(pb.tokens.equal(torch::tensor({10, 11, 12, 20, 21, 40}, torch::kInt64).view({1, 6})));
  EXPECT_TRUE(pb.positions.equal(torch::tensor({0, 1, 2, 3, 4, 3}, torch::kInt64).view({1, 6})));
  // Rows predicting each target: the last context slot (2) for every first token.
  EXPECT_TRUE(pb.rows.equal(torch::tensor({2, 3, 4, 2, 2, 5}, torch::kInt64)));
  EXPECT_TRUE(pb.targets.equal(torch::tensor({20, 21, 22, 30, 40, 41}, torch::kInt64)));
  EXPECT_EQ(pb.first[0], (std::vector<int64_t>{0, 3, 4}));
  const auto m = pb.attn_mask[0];
  EXPECT_TRUE(m[5][0].item<bool>() && m[5][2].item<bool>() && m[5][5].item<bool>());
  EXPECT_FALSE(m[5][3].item<bool>() || m[5][4].item<bool>());  // not the other option
  EXPECT_TRUE(m[4][3].item<bool>());                           // its own earlier token
  EXPECT_FALSE(m[1][3].item<bool>());                          // context never sees options
}

TEST(PackedLayout, RowsArePaddedAndPadsSeeOnlyPads) {
  const OptionSet a{{1, 2}, {{3, 4}}}, b{{5, 6, 7, 8}, {{9, 10, 11}, {12}}};
  const PackedBatch pb = pack_option_sets({a, b}, 16);
  ASSERT_EQ(pb.tokens.sizes(), (std::vector<int64_t>{2, 6}));
  EXPECT_EQ(pb.rows[0].item<int64_t>(), 1);  // set a: its context ends at slot 1
  EXPECT_EQ(pb.rows[2].item<int64_t>(), 6 + 3);
  const auto m = pb.attn_mask[0];
  EXPECT_TRUE(m[4][3].item<bool>());   // pad sees pad
  EXPECT_FALSE(m[4][0].item<bool>());  // pad does not see the context
  EXPECT_FALSE(m[2][3].item<bool>());  // a real token never sees a pad
}

TEST(PackedLayout, BadSetsAreInputErrors) {
  EXPECT_THROW(pack_option_sets({}, 16), InputError);
  EXPECT_THROW(pack_option_sets({OptionSet{{}, {{1}}}}, 16), InputError);
  EXPECT_THROW(pack_option_sets({OptionSet{{1}, {}}}, 16), InputError);
  try {
    pack_option_sets({OptionSet{{1, 2}, {{3}, {}}}}, 16);
    ADD_FAILURE() << "an empty option was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("set 0, option 1 has no tokens"), std::string::npos)
        << e.what();
  }
  // 10 context tokens + a 7-token option feed 16 tokens: fits 16, not 15.
  const OptionSet long_set{std::vector<int32_t>(10, 1), {{1}, std::vector<int32_t>(7, 2)}};
  EXPECT_NO_THROW(pack_option_sets({long_set}, 16));
  try {
    pack_option_sets({long_set}, 15);
    ADD_FAILURE() << "a context beyond max positions was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("max_position_embeddings (15)"), std::string::npos)
        << e.what();
  }
}

using Param = std::tuple<std::string, torch::ScalarType>;

// Summed log-probs, per dtype: float32 sees only reordered sums (1e-4
// absolute). bfloat16 activations round differently with the row layout and
// the fused head computes float32 logits where model->logits rounds them to
// bfloat16 (8 significant bits), so its error grows with the magnitude: 5e-2
// plus 2e-3 of |sum| (0.12 at a sum of -35).
double tol_for(torch::ScalarType t, double sum = 0.0) {
  return t == torch::kFloat32 ? 1e-4 : 5e-2 + 2e-3 * std::abs(sum);
}

class PackedOptionsTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (device().is_cuda() && !testing::cuda_ok()) GTEST_SKIP() << "no GPU";
  }
  torch::Device device() const { return torch::Device(std::get<0>(GetParam())); }
  torch::ScalarType dtype() const { return std::get<1>(GetParam()); }

  // A tiny random model of a test family; weights scaled up so the
  // next-token distributions are far from uniform.
  DecoderModel model(const std::string& name) const {
    const ModelConfig cfg = ModelConfig::load(testing::model_dir(name) + "/config.json");
    DecoderModel m = init_random_model(cfg, 5);
    torch::NoGradGuard no_grad;
    for (auto& p : m->parameters())
      if (p.dim() == 2) p.mul_(4.0);
    m->to(device(), dtype());
    return m;
  }
};

std::vector<OptionSet> random_sets(int64_t vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto tok = [&] { return static_cast<int32_t>(rng() % static_cast<uint64_t>(vocab)); };
  std::vector<OptionSet> sets;
  for (int k_options : {4, 1, 3, 2, 4}) {  // K = 1 included
    OptionSet s;
    s.context.resize(3 + rng() % 18);
    for (auto& t : s.context) t = tok();
    for (int k = 0; k < k_options; ++k) {
      std::vector<int32_t> o(1 + rng() % 6);  // lengths 1..6, one-token options included
      for (auto& t : o) t = tok();
      s.options.push_back(o);
    }
    sets.push_back(s);
  }
  return sets;
}

TEST_P(PackedOptionsTest, MatchesSeparateAndPrefixScoring) {
  double worst_sep = 0.0, worst_prefix = 0.0, largest = 0.0;
  for (const char* name : {"llama_gqa", "llama_bias", "qwen2", "gpt2"}) {
    DecoderModel m = model(name);
    const auto sets = random_sets(m->config().vocab_size, 11);
    const auto packed = score_packed_options(m, sets);  // all sets in one padded batch
    ASSERT_EQ(packed.size(), sets.size());
    for (size_t b = 0; b < sets.size(); ++b) {
      const auto prefix = score_options(m, sets[b].context, sets[b].options);
      const auto alone = score_packed_options(m, {sets[b]});  // unpadded
      ASSERT_EQ(packed[b].size(), sets[b].options.size());
      for (size_t k = 0; k < sets[b].options.size(); ++k) {
        const auto sep = score_continuation(m, sets[b].context, sets[b].options[k]);
        const PackedOptionScore& got = packed[b][k];
        EXPECT_EQ(got.n_tokens, sep.n_tokens);
        ASSERT_EQ(got.token_logprobs.size(), sep.token_logprobs.size());
        const double d = std::abs(got.logprob_sum - sep.logprob_sum);
        const double tol = tol_for(dtype(), sep.logprob_sum);
        worst_sep = std::max(worst_sep, d);
        const double dp = std::abs(got.logprob_sum - prefix[k].logprob_sum);
        worst_prefix = std::max(worst_prefix, dp);
        largest = std::max(largest, std::abs(sep.logprob_sum));
        EXPECT_LE(dp, tol_for(dtype(), prefix[k].logprob_sum))
            << name << " set " << b << " option " << k << ": packed vs prefix";
        EXPECT_LE(d, tol) << name << " set " << b << " option " << k << ": packed "
                          << got.logprob_sum << " vs separate " << sep.logprob_sum;
        EXPECT_LE(std::abs(alone[0][k].logprob_sum - got.logprob_sum), tol)
            << name << " set " << b << " option " << k << ": padding changed the sum";
        for (size_t j = 0; j < sep.token_logprobs.size(); ++j)
          EXPECT_LE(std::abs(got.token_logprobs[j] - sep.token_logprobs[j]),
                    tol_for(dtype(), sep.token_logprobs[j]))
              << name << " set " << b << " option " << k << " token " << j;
      }
    }
  }
  // The measured agreement, for docs/kernels.md.
  std::cout << "[packed] " << device() << " " << dtype_name(dtype())
            << ": max |packed - separate| = " << worst_sep
            << ", max |packed - prefix| = " << worst_prefix << " (sums up to " << -largest << ")\n";
}

// A steering-style hook (a vector added at every position) and a LoRA-style
// adapter on the lm head (which fused_logprob cannot see, so the packed op
// takes the logits path) change the scores the same way packed and unpacked.
// Both are kept moderate: bfloat16's error grows with the logits' scale
// (sums near -50 differ by ~0.1), and the tolerance is absolute.
TEST_P(PackedOptionsTest, HooksAndHeadAdaptersApplyAsUnpacked) {
  DecoderModel m = model("llama_gqa");  // untied head
  const int64_t hidden = m->config().hidden_size;
  torch::manual_seed(3);
  const torch::Tensor steer = (torch::randn({hidden}) * 0.5).to(device(), dtype());
  HookSet hooks;
  hooks.add("layers.0.resid_post",
            [steer](const torch::Tensor& x, const HookContext&) { return x + steer; });
  const torch::Tensor a = (torch::randn({hidden, 4}) * 0.2).to(device(), dtype());
  const torch::Tensor b = (torch::randn({4, m->config().vocab_size}) * 0.2).to(device(), dtype());
  m->set_adapter("lm_head", [a, b](const torch::Tensor& x) { return x.matmul(a).matmul(b); });
  const auto sets = random_sets(m->config().vocab_size, 12);
  const auto packed = score_packed_options(m, sets, &hooks);
  double moved = 0.0;
  for (size_t s = 0; s < sets.size(); ++s) {
    for (size_t k = 0; k < sets[s].options.size(); ++k) {
      const auto sep = score_continuation(m, sets[s].context, sets[s].options[k], &hooks);
      EXPECT_NEAR(packed[s][k].logprob_sum, sep.logprob_sum, tol_for(dtype(), sep.logprob_sum))
          << "set " << s << " option " << k;
      m->clear_adapters();
      const auto plain = score_continuation(m, sets[s].context, sets[s].options[k]);
      m->set_adapter("lm_head", [a, b](const torch::Tensor& x) { return x.matmul(a).matmul(b); });
      moved = std::max(moved, std::abs(plain.logprob_sum - sep.logprob_sum));
    }
  }
  EXPECT_GT(moved, 10 * tol_for(dtype()));  // the hook and adapter did change the scores
}

TEST_P(PackedOptionsTest, SlidingWindowRowsMustFitTheWindow) {
  DecoderModel m = model("mistral");                        // sliding_window 8 on every layer
  const OptionSet fits{{5, 6, 7}, {{8, 9, 10}, {11, 12}}};  // 3 + 2 + 1 = 6 slots
  const OptionSet cut{{5, 6, 7, 8, 9}, {{8, 9, 10}, {11, 12, 13}}};  // 9 slots
  EXPECT_TRUE(packing_is_exact(m->config(), fits));
  EXPECT_FALSE(packing_is_exact(m->config(), cut));
  const auto got = score_packed_options(m, {fits});
  for (size_t k = 0; k < fits.options.size(); ++k) {
    const auto sep = score_continuation(m, fits.context, fits.options[k]);
    EXPECT_NEAR(got[0][k].logprob_sum, sep.logprob_sum, tol_for(dtype(), sep.logprob_sum))
        << "option " << k;
  }
  EXPECT_THROW(score_packed_options(m, {cut}), InputError);
}

TEST_P(PackedOptionsTest, ContextBeyondMaxPositionsIsAnInputError) {
  DecoderModel m = model("gpt2");  // n_positions 128
  const int64_t max_pos = m->config().max_position_embeddings;
  OptionSet s{std::vector<int32_t>(static_cast<size_t>(max_pos) + 1, 3), {{4}, {5, 6}}};
  EXPECT_THROW(score_packed_options(m, {s}), InputError);
  OptionSet empty_option{{3, 4}, {{5}, {}}};
  EXPECT_THROW(score_packed_options(m, {empty_option}), InputError);
}

INSTANTIATE_TEST_SUITE_P(DeviceDtype, PackedOptionsTest,
                         ::testing::Combine(::testing::Values("cpu", "cuda"),
                                            ::testing::Values(torch::kFloat32, torch::kBFloat16)),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return std::get<0>(info.param) + "_" +
                                  dtype_name(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace traitlab
