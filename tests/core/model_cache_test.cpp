// KV cache behaviour: incremental decoding equals one full forward, forks
// share a prefix without seeing each other's tokens, and expand / select /
// truncate keep the same numbers as unshared runs.
#include <gtest/gtest.h>

#include "core/model/decoder.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

class ModelCache : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    model_ = load_model(testing::model_dir(GetParam()), torch::kCPU, torch::kFloat32);
  }

  torch::Tensor run(const torch::Tensor& tokens, KVCache* cache = nullptr) {
    ForwardArgs args;
    args.tokens = tokens;
    args.cache = cache;
    return model_->forward(args);
  }

  torch::NoGradGuard no_grad_;
  DecoderModel model_{nullptr};
};

torch::Tensor random_tokens(int64_t batch, int64_t time, int64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return torch::randint(3, 256, {batch, time}, gen, torch::kInt64);
}

TEST_P(ModelCache, IncrementalDecodingEqualsFullForward) {
  torch::Tensor tokens = random_tokens(2, 14, 1);
  torch::Tensor full = run(tokens);
  KVCache cache = model_->new_cache();
  std::vector<torch::Tensor> parts;
  // Uneven chunks: a prompt, single steps, then a multi-token chunk (the
  // last crosses mistral's sliding window of 8).
  int64_t pos = 0;
  for (int64_t len : {5, 1, 1, 3, 4}) {
    parts.push_back(run(tokens.narrow(1, pos, len), &cache));
    pos += len;
  }
  EXPECT_EQ(cache.length(), 14);
  EXPECT_EQ(cache.batch(), 2);
  EXPECT_CLOSE(torch::cat(parts, 1), full, 1e-5);
}

TEST_P(ModelCache, ForkedScoringEqualsUnsharedForward) {
  torch::Tensor context = random_tokens(1, 9, 2);
  std::vector<torch::Tensor> options = {random_tokens(1, 3, 3), random_tokens(1, 5, 4),
                                        random_tokens(1, 1, 5)};
  KVCache prefix = model_->new_cache();
  run(context, &prefix);
  std::vector<torch::Tensor> forked;
  for (const auto& opt : options) {
    KVCache branch = prefix.fork();
    forked.push_back(run(opt, &branch));
    EXPECT_EQ(branch.length(), 9 + opt.size(1));
  }
  EXPECT_EQ(prefix.length(), 9);  // branches never grow the prefix
  for (size_t i = 0; i < options.size(); ++i) {
    torch::Tensor full = run(torch::cat({context, options[i]}, 1));
    EXPECT_CLOSE(forked[i], full.narrow(1, 9, options[i].size(1)), 1e-5) << "option " << i;
  }
  // The prefix's own tensors still hold the context only, even though
  // branches wrote into its slab.
  KVCache again = model_->new_cache();
  run(context, &again);
  EXPECT_CLOSE(prefix.k(0), again.k(0), 0.0);
  EXPECT_CLOSE(prefix.v(1), again.v(1), 0.0);
}

TEST_P(ModelCache, ExpandSelectTruncate) {
  torch::Tensor context = random_tokens(1, 6, 6);
  torch::Tensor next = random_tokens(3, 2, 7);
  KVCache prefix = model_->new_cache();
  run(context, &prefix);
  KVCache wide = prefix.expand(3);
  EXPECT_EQ(wide.batch(), 3);
  torch::Tensor batched = run(next, &wide);
  for (int64_t r = 0; r < 3; ++r) {
    torch::Tensor full = run(torch::cat({context, next.narrow(0, r, 1)}, 1));
    EXPECT_CLOSE(batched.narrow(0, r, 1), full.narrow(1, 6, 2), 1e-5) << "row " << r;
  }
  KVCache row2 = wide.select(torch::tensor({2}));
  EXPECT_EQ(row2.batch(), 1);
  EXPECT_EQ(row2.length(), 8);
  torch::Tensor more = random_tokens(1, 1, 8);
  torch::Tensor via_select = run(more, &row2);
  torch::Tensor full = run(torch::cat({context, next.narrow(0, 2, 1), more}, 1));
  EXPECT_CLOSE(via_select, full.narrow(1, 8, 1), 1e-5);
  KVCache rewound = row2.truncate(6);
  EXPECT_EQ(rewound.length(), 6);
  torch::Tensor after_rewind = run(next.narrow(0, 0, 1), &rewound);
  EXPECT_CLOSE(after_rewind, run(torch::cat({context, next.narrow(0, 0, 1)}, 1)).narrow(1, 6, 2),
               1e-5);
}

TEST_P(ModelCache, MismatchedCacheIsAnInputError) {
  KVCache cache = model_->new_cache();
  run(random_tokens(2, 3, 9), &cache);
  EXPECT_THROW(run(random_tokens(1, 1, 10), &cache), InputError);
  KVCache wrong(model_->config().n_layer + 1);
  EXPECT_THROW(run(random_tokens(1, 1, 10), &wrong), InputError);
  EXPECT_THROW(run(torch::full({1, 2}, 9999, torch::kInt64)), InputError);
}

INSTANTIATE_TEST_SUITE_P(Families, ModelCache,
                         ::testing::Values("llama_gqa", "qwen2", "mistral", "gpt2", "gemma3"));

}  // namespace
}  // namespace traitlab
