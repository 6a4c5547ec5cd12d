#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "core/ops/loglik.h"
#include "core/util/error.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

using testing::as_vec;
using testing::kRegenerate;
using testing::llama_tok;
using testing::ops_goldens;

TEST(OpsLoglik, EncodePairFollowsLmEval) {
  const auto& ck = llama_tok();
  const int32_t prefix = default_prefix_token_id(*ck.tokenizer, ck.model->config());
  EXPECT_EQ(prefix, *ck.tokenizer->token_to_id("<|begin_of_text|>"));
  EXPECT_EQ(default_prefix_token_id(ck), prefix);  // tokenizer_config.json's bos_token
  int checked = 0;
  for (const auto& c : ops_goldens()["loglik"]) {
    for (const auto& o : c["options"]) {
      auto pair = encode_pair(*ck.tokenizer, c["context"], o["text"], prefix);
      EXPECT_EQ(pair.context, as_vec<int32_t>(o["context_ids"]))
          << "context " << c["context"].dump() << " option " << o["text"].dump() << "; "
          << kRegenerate;
      EXPECT_EQ(pair.continuation, as_vec<int32_t>(o["continuation_ids"]))
          << "context " << c["context"].dump() << " option " << o["text"].dump();
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

TEST(OpsLoglik, MatchesLmEvalGoldens) {
  auto ck = llama_tok();
  double max_diff = 0.0;
  std::string worst;
  for (const auto& c : ops_goldens()["loglik"]) {
    std::vector<std::string> options;
    for (const auto& o : c["options"]) options.push_back(o["text"]);
    auto scores = loglikelihood_options(ck.model, *ck.tokenizer, c["context"], options);
    ASSERT_EQ(scores.size(), options.size());
    for (size_t i = 0; i < options.size(); ++i) {
      const auto& o = c["options"][i];
      const auto want = as_vec<double>(o["token_logprobs"]);
      ASSERT_EQ(scores[i].token_logprobs.size(), want.size()) << o["text"].dump();
      EXPECT_EQ(scores[i].n_tokens, static_cast<int64_t>(want.size()));
      EXPECT_EQ(scores[i].is_greedy, o["is_greedy"].get<bool>()) << o["text"].dump();
      double d = std::abs(scores[i].logprob_sum - o["logprob"].get<double>());
      for (size_t j = 0; j < want.size(); ++j) {
        d = std::max(d, std::abs(scores[i].token_logprobs[j] - want[j]));
      }
      if (d > max_diff) {
        max_diff = d;
        worst = c["context"].dump() + " / " + o["text"].dump();
      }
    }
  }
  std::cout << "[   info   ] lm-eval goldens: max |diff| " << max_diff << "\n";
  EXPECT_LT(max_diff, 1e-4) << "largest |diff| " << max_diff << " at " << worst << "; "
                            << kRegenerate;
}

// Scores from the shared-prefix batch equal one full pass per option,
// including an empty option, single-token options and uneven lengths.
TEST(OpsLoglik, SharedPrefixEqualsUnshared) {
  auto ck = llama_tok();
  std::mt19937 rng(7);
  const int vocab = static_cast<int>(ck.model->config().vocab_size);
  std::uniform_int_distribution<int> pick(0, vocab - 1);
  auto draw = [&](int n) {
    std::vector<int32_t> v;
    for (int i = 0; i < n; ++i) v.push_back(pick(rng));
    return v;
  };
  const auto context = draw(9);
  std::vector<std::vector<int32_t>> options = {draw(1), draw(4), {}, draw(7), draw(1), draw(2)};
  auto shared = score_options(ck.model, context, options);
  double max_diff = 0.0;
  for (size_t i = 0; i < options.size(); ++i) {
    auto ref = score_continuation(ck.model, context, options[i]);
    ASSERT_EQ(shared[i].n_tokens, static_cast<int64_t>(options[i].size()));
    ASSERT_EQ(ref.n_tokens, shared[i].n_tokens);
    EXPECT_EQ(ref.is_greedy, shared[i].is_greedy);
    max_diff = std::max(max_diff, std::abs(ref.logprob_sum - shared[i].logprob_sum));
    for (size_t j = 0; j < options[i].size(); ++j) {
      max_diff = std::max(max_diff, std::abs(ref.token_logprobs[j] - shared[i].token_logprobs[j]));
    }
  }
  std::cout << "[   info   ] shared vs unshared: max |diff| " << max_diff << "\n";
  EXPECT_LT(max_diff, 1e-5) << "shared-prefix vs full-sequence scores";
  EXPECT_EQ(shared[2].logprob_sum, 0.0);
}

// A greedy continuation (built from the model's own argmax) is flagged
// greedy; changing its last token unflags it.
TEST(OpsLoglik, IsGreedyFollowsArgmax) {
  auto ck = llama_tok();
  std::vector<int32_t> ctx = ck.tokenizer->encode("Hello world", true);
  std::vector<int32_t> cont;
  std::vector<int32_t> seq = ctx;
  for (int k = 0; k < 3; ++k) {
    torch::NoGradGuard ng;
    ForwardArgs a;
    a.tokens = torch::tensor(std::vector<int64_t>(seq.begin(), seq.end())).unsqueeze(0);
    int32_t next = static_cast<int32_t>(ck.model->forward(a)[0][-1].argmax().item<int64_t>());
    cont.push_back(next);
    seq.push_back(next);
  }
  EXPECT_TRUE(score_options(ck.model, ctx, {cont})[0].is_greedy);
  cont.back() = (cont.back() + 1) % static_cast<int32_t>(ck.model->config().vocab_size);
  EXPECT_FALSE(score_options(ck.model, ctx, {cont})[0].is_greedy);
}

// Hooks run in both the context pass and the option pass.
TEST(OpsLoglik, HooksApplyToSharedAndUnsharedAlike) {
  auto ck = llama_tok();
  HookSet hooks;
  hooks.add("layers.0.resid_post",
            [](const torch::Tensor& x, const HookContext&) { return x + 0.5; });
  const auto ctx = ck.tokenizer->encode("The capital of France is", true);
  const std::vector<std::vector<int32_t>> opts = {ck.tokenizer->encode(" Paris", false),
                                                  ck.tokenizer->encode(" Rome and London", false)};
  auto plain = score_options(ck.model, ctx, opts);
  auto hooked = score_options(ck.model, ctx, opts, &hooks);
  for (size_t i = 0; i < opts.size(); ++i) {
    auto ref = score_continuation(ck.model, ctx, opts[i], &hooks);
    EXPECT_NEAR(hooked[i].logprob_sum, ref.logprob_sum, 1e-5);
    EXPECT_GT(std::abs(hooked[i].logprob_sum - plain[i].logprob_sum), 1e-3);
  }
}

TEST(OpsLoglik, EmptyContextIsAnInputError) {
  auto ck = llama_tok();
  EXPECT_THROW(score_options(ck.model, {}, {{1, 2}}), InputError);
  EXPECT_THROW(score_continuation(ck.model, {}, {1}), InputError);
}

}  // namespace
}  // namespace traitlab
