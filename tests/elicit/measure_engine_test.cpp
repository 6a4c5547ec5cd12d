// The measurement engine on the tiny test checkpoint: which contexts it
// runs, that every row maps display positions back to canonical options
// correctly, and that generate mode is seeded and parsed.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/ops/next_token.h"
#include "elicit/instruments/subset.h"
#include "elicit/measure/engine.h"
#include "elicit/parse/answer_parser.h"
#include "elicit/prompts/render_scenario.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

Checkpoint& model() {
  static Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  return ck;
}

MeasureSpec small_spec() {
  MeasureSpec s;
  const Instrument all = load_instrument("trait-builtin");
  s.instruments.push_back(
      first_n_per_trait(select_traits(all, {Trait::Openness, Trait::Extraversion}), 2));
  s.templates = {1, 2};
  s.bootstrap_resamples = 50;
  return s;
}

TEST(MeasureEngine, LettersRowsMapPositionsToCanonicalOptions) {
  MeasureEngine engine(model(), small_spec());
  EXPECT_EQ(engine.total_contexts(), 2 * 2 * 2 * 2);  // traits x items x templates x orders
  MemorySink sink;
  const auto summary = engine.run(sink);
  ASSERT_EQ(sink.rows.size(), 16u);
  EXPECT_EQ(sink.done, std::vector<int64_t>{0});
  std::set<int64_t> ids;
  const Instrument& inst = engine.spec().instruments[0];
  for (const auto& r : sink.rows) {
    ids.insert(r.id);
    const ScenarioItem* item = nullptr;
    for (const auto& it : inst.scenarios)
      if (it.id == r.item_id) item = &it;
    ASSERT_NE(item, nullptr);
    const Order order = r.order_name == "original" ? original_order() : reversed_order();
    ASSERT_EQ(r.order_name == "original" ? "H1,L1,H2,L2" : "L1,H1,L2,H2", r.order_code);
    const Prompt p = render_scenario(*item, order, r.template_id, false, "", model().chat, false);
    std::vector<std::vector<int32_t>> labels;
    for (const auto& l : p.labels) labels.push_back(label_token_ids(*model().tokenizer, l));
    const auto want = label_probs(model().model, model().tokenizer->encode(p.text), labels);
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(r.prob[c], want.prob[order.position_of(c)], 1e-5);
    EXPECT_EQ(r.choice, order.positions[r.position]);
    EXPECT_FALSE(r.refused);
  }
  EXPECT_EQ(ids.size(), 16u);
  ASSERT_EQ(summary.scores.size(), 2u);  // one per trait
  for (const auto& s : summary.scores) {
    EXPECT_EQ(s.n_items, 2);
    EXPECT_EQ(s.n_measurements, 4);
    EXPECT_TRUE(std::isfinite(s.score));
    EXPECT_TRUE(std::isfinite(s.order_flip_share));
  }
}

TEST(MeasureEngine, PerturbationsMultiplyContexts) {
  MeasureSpec s = small_spec();
  s.paraphrase_both = true;
  s.orders = parse_order_spec("random:3", "--orders");
  s.personas = {"", "You are outgoing."};
  MeasureEngine engine(model(), s);
  EXPECT_EQ(engine.contexts_per_condition(), 2 * 2 * 2 * 2 * 3);
  EXPECT_EQ(engine.total_contexts(), 2 * engine.contexts_per_condition());

  s = small_spec();
  s.scoring = ScoringMode::Loglik;  // cloze prompts: the order is not shown
  MeasureEngine cloze(model(), s);
  EXPECT_EQ(cloze.total_contexts(), 2 * 2 * 2);
  MemorySink sink;
  cloze.run(sink);
  for (const auto& r : sink.rows) {
    EXPECT_EQ(r.order_name, "cloze");
    EXPECT_EQ(r.order_code, "H1,H2,L1,L2");
    for (int c = 0; c < 4; ++c) EXPECT_LT(r.logprob[c], 0.0);
  }
}

TEST(MeasureEngine, GenerateIsSeededAndParsed) {
  MeasureSpec s = small_spec();
  s.templates = {1};
  s.scoring = ScoringMode::Generate;
  s.scorer.n_samples = 2;
  s.scorer.max_new_tokens = 6;
  s.seed = 11;
  MemorySink a, b;
  MeasureEngine(model(), s).run(a);
  MeasureEngine(model(), s).run(b);
  ASSERT_EQ(a.rows.size(), 8u);
  ASSERT_EQ(a.samples.size(), 16u);
  for (size_t i = 0; i < a.samples.size(); ++i) EXPECT_EQ(a.samples[i].text, b.samples[i].text);
  for (const auto& r : a.rows) {
    int answered = 0;
    for (const auto& g : a.samples) {
      if (g.response != r.id) continue;
      answered += g.choice >= 0;
      EXPECT_EQ(g.choice < 0, !g.refusal_reason.empty());
    }
    EXPECT_EQ(r.refused, answered == 0);
    if (!r.refused) {
      double sum = 0.0;
      for (double p : r.prob) sum += p;
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  }
}

TEST(MeasureEngine, BadSpecsAreInputErrors) {
  MeasureSpec s = small_spec();
  s.templates = {4};
  EXPECT_THROW(MeasureEngine(model(), s), InputError);
  s = small_spec();
  s.scoring = ScoringMode::Likert;
  EXPECT_THROW(MeasureEngine(model(), s), InputError);
  s = small_spec();
  s.instruments.clear();
  EXPECT_THROW(MeasureEngine(model(), s), InputError);
  EXPECT_THROW(parse_templates("1,x", "--templates"), InputError);
  EXPECT_THROW(parse_templates("1,1", "--templates"), InputError);
  EXPECT_TRUE(parse_templates("all", "--templates").empty());
}

}  // namespace
}  // namespace traitlab
