#include <gtest/gtest.h>

#include <iostream>

#include "core/ops/next_token.h"
#include "core/util/error.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

using testing::as_vec;
using testing::kRegenerate;
using testing::llama_tok;
using testing::ops_goldens;

TEST(OpsNextToken, LabelTokenIdsFindEveryVariant) {
  const auto& ck = llama_tok();
  for (const auto& c : ops_goldens()["labels"]) {
    for (const auto& l : c["labels"]) {
      EXPECT_EQ(label_token_ids(*ck.tokenizer, l["label"]), as_vec<int32_t>(l["token_ids"]))
          << "label " << l["label"] << "; " << kRegenerate;
    }
  }
  // Both the bare letter and its space-prefixed token are found.
  auto a = label_token_ids(*ck.tokenizer, "A");
  auto bare = ck.tokenizer->token_to_id("A");
  auto spaced = ck.tokenizer->token_to_id(
      "\xC4\xA0"
      "A");
  ASSERT_TRUE(bare && spaced);
  EXPECT_NE(std::find(a.begin(), a.end(), *bare), a.end());
  EXPECT_NE(std::find(a.begin(), a.end(), *spaced), a.end());
}

TEST(OpsNextToken, LabelProbsMatchTransformers) {
  auto ck = llama_tok();
  double max_diff = 0.0;
  for (const auto& c : ops_goldens()["labels"]) {
    auto ctx = ck.tokenizer->encode(c["context"].get<std::string>(), true);
    ASSERT_EQ(ctx, as_vec<int32_t>(c["context_ids"]));
    std::vector<std::vector<int32_t>> ids;
    for (const auto& l : c["labels"]) {
      ids.push_back(as_vec<int32_t>(l["token_ids"]));
      auto lps = candidate_logprobs(ck.model, ctx, ids.back());
      auto want = as_vec<double>(l["logprobs"]);
      ASSERT_EQ(lps.size(), want.size());
      for (size_t j = 0; j < want.size(); ++j)
        max_diff = std::max(max_diff, std::abs(lps[j] - want[j]));
    }
    auto lp = label_probs(ck.model, ctx, ids);
    double sum = 0.0;
    for (size_t k = 0; k < ids.size(); ++k) {
      max_diff = std::max(max_diff, std::abs(lp.mass[k] - c["labels"][k]["mass"].get<double>()));
      max_diff = std::max(max_diff, std::abs(lp.prob[k] - c["labels"][k]["prob"].get<double>()));
      sum += lp.prob[k];
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
  std::cout << "[   info   ] label probs vs transformers: max |diff| " << max_diff << "\n";
  EXPECT_LT(max_diff, 1e-5) << "largest |diff| vs transformers; " << kRegenerate;
}

TEST(OpsNextToken, GroupingSumsAndRenormalises) {
  auto lp = torch::log(torch::tensor({0.1, 0.2, 0.3, 0.05, 0.35}, torch::kFloat64));
  auto g = group_label_probs(lp, {{0, 1}, {2}, {3}});
  EXPECT_NEAR(g.mass[0], 0.3, 1e-12);
  EXPECT_NEAR(g.total_mass, 0.65, 1e-12);
  EXPECT_NEAR(g.prob[0], 0.3 / 0.65, 1e-12);
  EXPECT_NEAR(g.prob[2], 0.05 / 0.65, 1e-12);
  EXPECT_THROW(group_label_probs(lp, {{0, 1}, {1}}), InputError);  // id in two labels
  EXPECT_THROW(group_label_probs(lp, {{0}, {}}), InputError);      // label without ids
  EXPECT_THROW(group_label_probs(lp, {{0}, {9}}), InputError);     // out of vocab
}

TEST(OpsNextToken, SingleTokenVariantsKeepOnlySingleTokens) {
  const auto& ck = llama_tok();
  auto ids = single_token_ids(*ck.tokenizer, {"A", " A", "A walk over the lazy dog"});
  EXPECT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids, label_token_ids(*ck.tokenizer, "A"));
}

TEST(OpsNextToken, CandidateOutsideVocabIsAnInputError) {
  auto ck = llama_tok();
  auto ctx = ck.tokenizer->encode("Answer:", true);
  EXPECT_THROW(candidate_logprobs(ck.model, ctx, {-1}), InputError);
  EXPECT_THROW(label_token_ids(*ck.tokenizer, ""), InputError);
}

}  // namespace
}  // namespace traitlab
