// Letters / Likert scoring: batched, left-padded scoring must give what the
// unbatched reference (label_probs on each prompt alone, itself checked
// against transformers in the ops goldens) gives, for any batch size.
#include <gtest/gtest.h>

#include <cmath>

#include "core/ops/next_token.h"
#include "elicit/instruments/instrument.h"
#include "elicit/prompts/render_likert.h"
#include "elicit/prompts/render_scenario.h"
#include "elicit/scoring/scorer.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

std::vector<Prompt> mixed_prompts(const Checkpoint& ck) {
  const Instrument inst = load_instrument("trait-builtin");
  std::vector<Prompt> out;
  for (int i = 0; i < 4; ++i) {
    for (int t = 1; t <= 3; ++t) {
      const Order o = i % 2 ? reversed_order() : original_order();
      out.push_back(render_scenario(inst.scenarios[i * 7], o, t, false,
                                    i == 2 ? "You are a calm person." : "", ck.chat, i == 3));
    }
  }
  return out;
}

void expect_matches_reference(Checkpoint& ck, const std::vector<Prompt>& prompts, int batch,
                              ScoringMode mode) {
  ScorerOptions opts;
  opts.batch_size = batch;
  auto scorer = make_scorer(mode, ck, opts);
  std::vector<const Prompt*> ptrs;
  for (const auto& p : prompts) ptrs.push_back(&p);
  const auto got = scorer->score(ptrs, std::vector<uint64_t>(prompts.size(), 0));
  ASSERT_EQ(got.size(), prompts.size());
  double max_diff = 0.0;
  for (size_t i = 0; i < prompts.size(); ++i) {
    const Prompt& p = prompts[i];
    const auto ids = p.chat ? ck.chat.encode(*ck.tokenizer, p.text) : ck.tokenizer->encode(p.text);
    std::vector<std::vector<int32_t>> label_ids;
    for (const auto& l : p.labels) label_ids.push_back(label_token_ids(*ck.tokenizer, l));
    const LabelProbs want = label_probs(ck.model, ids, label_ids);
    ASSERT_EQ(got[i].prob.size(), want.prob.size());
    double sum = 0.0;
    for (size_t k = 0; k < want.prob.size(); ++k) {
      max_diff = std::max(max_diff, std::fabs(got[i].prob[k] - want.prob[k]));
      EXPECT_NEAR(got[i].logprob[k], std::log(want.mass[k]), 1e-4) << "prompt " << i;
      sum += got[i].prob[k];
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_NEAR(got[i].label_mass, want.total_mass, 1e-5);
    EXPECT_FALSE(got[i].refused);
    int best = 0;
    for (size_t k = 1; k < want.prob.size(); ++k)
      if (want.prob[k] > want.prob[best]) best = static_cast<int>(k);
    EXPECT_EQ(got[i].position, best) << "prompt " << i;
  }
  EXPECT_LT(max_diff, 1e-5) << "batch " << batch;
}

TEST(ScoringLetters, BatchedEqualsUnbatchedReference) {
  Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  const auto prompts = mixed_prompts(ck);
  for (int batch : {1, 5, 16}) expect_matches_reference(ck, prompts, batch, ScoringMode::Letters);
}

TEST(ScoringLetters, LikertDigitLabels) {
  Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  const Instrument inst = load_instrument("ipip50");
  std::vector<Prompt> prompts;
  for (int i = 0; i < 5; ++i)
    prompts.push_back(render_likert(inst.likert[i], 1 + i % 3, "", ck.chat, i % 2 == 1));
  expect_matches_reference(ck, prompts, 4, ScoringMode::Likert);
}

TEST(ScoringLetters, UnknownModeIsInputError) {
  EXPECT_THROW(parse_scoring_mode("logits", "--scoring"), InputError);
  EXPECT_THROW(parse_loglik_norm("tokens", "--loglik-norm"), InputError);
  EXPECT_EQ(parse_scoring_mode("generate", "x"), ScoringMode::Generate);
}

}  // namespace
}  // namespace traitlab
