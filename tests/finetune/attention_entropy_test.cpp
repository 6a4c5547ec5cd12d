// Attention entropy: the formula on hand cases, the observer in the model
// (uniform attention when every query projection is zero), and that the
// observer changes nothing when off. Also the MFU formula.
#include "finetune/attention_entropy.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/model/attention_observer.h"
#include "finetune/throughput.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

TEST(AttentionEntropy, UniformOverTKeysIsLogT) {
  for (int64_t t : {1, 2, 5, 37}) {
    const torch::Tensor p = torch::full({1, 1, 1, t}, 1.0 / t, torch::kFloat32);
    EXPECT_NEAR(attention_row_entropy(p).item<double>(), std::log(static_cast<double>(t)), 1e-6)
        << "T = " << t;
  }
  // Masked keys are exact zeros and contribute 0 log 0 = 0.
  const torch::Tensor half = torch::tensor({0.5f, 0.5f, 0.0f, 0.0f});
  EXPECT_NEAR(attention_row_entropy(half).item<double>(), std::log(2.0), 1e-7);
  const torch::Tensor one_hot = torch::tensor({0.0f, 1.0f, 0.0f});
  EXPECT_EQ(attention_row_entropy(one_hot).item<double>(), 0.0);
}

TEST(AttentionEntropy, MatchesDirectSoftmaxComputation) {
  torch::manual_seed(3);
  const torch::Tensor scores = torch::randn({2, 3, 4, 9}, torch::kFloat64) * 3.0;
  const torch::Tensor got = attention_row_entropy(torch::softmax(scores, -1).to(torch::kFloat32));
  // H = log Z - sum p s, with Z = sum exp(s): an independent route.
  const torch::Tensor p = torch::softmax(scores, -1);
  const torch::Tensor want = torch::logsumexp(scores, -1) - (p * scores).sum(-1);
  EXPECT_TRUE(all_close(got, want, 1e-5, "entropy"));
}

// With every q_proj zero, scores are 0 and each query t attends uniformly
// to its t + 1 causal keys in every layer: mean entropy (1/T) sum log(t).
TEST(AttentionEntropy, ModelWithZeroQueriesHasUniformCausalEntropy) {
  Checkpoint ck = load_llama_tok();
  {
    torch::NoGradGuard ng;
    for (auto& item : ck.model->named_parameters())
      if (item.key().find("q_proj") != std::string::npos) item.value().zero_();
  }
  const std::vector<std::vector<int64_t>> seqs = {{5, 9, 11, 3, 7, 8}, {4, 4}};
  const std::vector<double> h = attention_entropy_per_layer(ck.model, seqs);
  ASSERT_EQ(static_cast<int64_t>(h.size()), ck.model->config().n_layer);
  double sum = 0;
  int64_t n = 0;
  for (const auto& s : seqs)
    for (size_t t = 1; t <= s.size(); ++t, ++n) sum += std::log(static_cast<double>(t));
  for (size_t l = 0; l < h.size(); ++l) EXPECT_NEAR(h[l], sum / n, 1e-6) << "layer " << l;
}

TEST(AttentionEntropy, ObserverOffChangesNothingAndIsRemoved) {
  Checkpoint ck = load_llama_tok();
  ForwardArgs a;
  a.tokens = torch::tensor({{5, 9, 11, 3}}, torch::kInt64);
  const torch::Tensor before = ck.model->forward(a);
  int64_t calls = 0;
  {
    ScopedAttentionObserver obs(*ck.model, [&](int64_t, const torch::Tensor& p) {
      ++calls;
      EXPECT_EQ(p.scalar_type(), torch::kFloat32);
      EXPECT_TRUE(all_close(p.sum(-1), torch::ones_like(p.sum(-1)), 1e-5, "row sums"));
    });
    EXPECT_TRUE(torch::equal(ck.model->forward(a), before));
  }
  EXPECT_EQ(calls, ck.model->config().n_layer);
  ck.model->forward(a);
  EXPECT_EQ(calls, ck.model->config().n_layer) << "observer still installed after the scope";
  EXPECT_EQ(set_attention_observer(*ck.model, {}), ck.model->config().n_layer);
}

TEST(AttentionEntropy, ProbeBatchTakesFirstRowsCut) {
  const auto b = entropy_probe_batch({{1, 2, 3}, {}, {4, 5}, {6}}, 2, 2);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0], (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(b[1], (std::vector<int64_t>{4, 5}));
}

TEST(Throughput, FlopsAndMfuFormula) {
  ModelConfig c;
  c.family = Family::Llama;
  c.vocab_size = 100;
  c.hidden_size = 8;
  c.intermediate_size = 16;
  c.n_layer = 2;
  c.n_head = 2;
  c.n_kv_head = 1;
  c.head_dim = 4;
  // per layer: q,o 2*8*8 + k,v 2*8*4 = 192; mlp 3*8*16 = 384; head 800.
  EXPECT_EQ(matmul_params(c), 2 * (192 + 384) + 800);
  EXPECT_DOUBLE_EQ(train_flops_per_token(c, 10), 6.0 * 1952 + 12.0 * 2 * 8 * 10);
  EXPECT_DOUBLE_EQ(model_flops_utilisation(1e6, 500, 2.0, 1e9), 0.25);
  EXPECT_TRUE(std::isnan(model_flops_utilisation(1e6, 500, 2.0, 0.0)));
  EXPECT_TRUE(std::isnan(model_flops_utilisation(1e6, 500, 0.0, 1e9)));
  c.family = Family::Gpt2;
  EXPECT_EQ(matmul_params(c), 2 * (192 + 256) + 800);
}

}  // namespace
}  // namespace traitlab
