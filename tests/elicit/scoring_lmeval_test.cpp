// The loglik scoring mode against lm-evaluation-harness: the same six
// built-in scenario items, rendered by traitlab, scored by lm-eval's HFLM
// (tools/goldens/make_lmeval_goldens.py) and by LoglikScorer.
#include <gtest/gtest.h>

#include <cmath>

#include "core/util/json_io.h"
#include "elicit/instruments/instrument.h"
#include "elicit/prompts/render_scenario.h"
#include "elicit/scoring/scorer.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

const char* kRegen = "regenerate: $PYTHON tools/goldens/make_lmeval_goldens.py";

nlohmann::json goldens() {
  auto g = read_json_file(std::string(TRAITLAB_TEST_DATA) + "/lmeval/goldens.json");
  EXPECT_EQ(g.at("format_version").get<int>(), 1) << kRegen;
  return g;
}

// Ids are unique per trait only ("N-001" is Neuroticism's and Narcissism's).
const ScenarioItem& find_item(const Instrument& inst, const std::string& trait,
                              const std::string& id) {
  for (const auto& it : inst.scenarios)
    if (it.id == id && trait_name(it.trait) == trait) return it;
  throw InputError("no item " + trait + "/" + id);
}

TEST(ScoringLmeval, LoglikMatchesLmEvalHarness) {
  const auto g = goldens();
  Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  const Instrument inst = load_instrument("trait-builtin");
  const Order canonical{{kHigh1, kHigh2, kLow1, kLow2}, "cloze"};
  ScorerOptions opts;
  opts.loglik_norm = LoglikNorm::None;
  auto raw = make_scorer(ScoringMode::Loglik, ck, opts);
  opts.loglik_norm = LoglikNorm::Chars;
  auto norm = make_scorer(ScoringMode::Loglik, ck, opts);

  double max_diff = 0.0;
  std::string where;
  int n = 0, acc_agree = 0, acc_norm_agree = 0;
  for (const auto& gi : g.at("items")) {
    const ScenarioItem& item =
        find_item(inst, gi.at("trait").get<std::string>(), gi.at("idx").get<std::string>());
    const Prompt p = render_scenario(item, canonical, 1, false, "", ck.chat, false);
    ASSERT_EQ(p.cloze_text, gi.at("context").get<std::string>())
        << "traitlab's template-1 cloze text changed; " << kRegen;
    ASSERT_EQ(p.continuations, gi.at("continuations").get<std::vector<std::string>>());
    const auto s_raw = raw->score({&p}, {0}).at(0);
    const auto s_norm = norm->score({&p}, {0}).at(0);
    const auto want = gi.at("loglik").get<std::vector<double>>();
    ASSERT_EQ(s_raw.logprob.size(), want.size());
    for (size_t k = 0; k < want.size(); ++k) {
      const double d = std::fabs(s_raw.logprob[k] - want[k]);
      if (d > max_diff) {
        max_diff = d;
        where = gi.at("idx").get<std::string>() + " option " + std::to_string(k);
      }
    }
    acc_agree += s_raw.position == gi.at("choice_acc").get<int>();
    acc_norm_agree += s_norm.position == gi.at("choice_acc_norm").get<int>();
    // lm-eval's acc / acc_norm with target 0 (H1).
    EXPECT_EQ(s_raw.position == 0, gi.at("acc").get<double>() == 1.0);
    EXPECT_EQ(s_norm.position == 0, gi.at("acc_norm").get<double>() == 1.0);
    ++n;
  }
  std::printf(
      "[lm-eval agreement] items=%d max|dll|=%.3g (at %s) acc choices %d/%d, acc_norm %d/%d\n", n,
      max_diff, where.c_str(), acc_agree, n, acc_norm_agree, n);
  EXPECT_EQ(n, 6);
  EXPECT_LT(max_diff, 1e-4) << "largest difference at " << where << "; " << kRegen;
  EXPECT_EQ(acc_agree, n);
  EXPECT_EQ(acc_norm_agree, n);
}

// pmi (lm-eval's acc_mutual_info): each option's log-likelihood minus its
// unconditional one, the same continuation alone after the prefix token.
TEST(ScoringLmeval, PmiMatchesLmEvalMutualInfo) {
  const auto g = goldens();
  Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  const Instrument inst = load_instrument("trait-builtin");
  const Order canonical{{kHigh1, kHigh2, kLow1, kLow2}, "cloze"};
  std::vector<Prompt> prompts;
  std::vector<const nlohmann::json*> golden_items;
  for (const auto& gi : g.at("items")) {
    ASSERT_TRUE(gi.contains("loglik_unconditional")) << kRegen;
    const ScenarioItem& item =
        find_item(inst, gi.at("trait").get<std::string>(), gi.at("idx").get<std::string>());
    prompts.push_back(render_scenario(item, canonical, 1, false, "", ck.chat, false));
    golden_items.push_back(&gi);
  }
  for (const char* packing : {"packed", "prefix", "separate"}) {
    SCOPED_TRACE(packing);
    ScorerOptions opts;
    opts.loglik_norm = LoglikNorm::Pmi;
    opts.option_packing = parse_option_packing(packing, "test");
    auto pmi = make_scorer(ScoringMode::Loglik, ck, opts);
    std::vector<const Prompt*> ptrs;
    for (const auto& p : prompts) ptrs.push_back(&p);
    const auto scored = pmi->score(ptrs, std::vector<uint64_t>(ptrs.size(), 0));
    double max_diff = 0.0;
    int agree = 0;
    for (size_t i = 0; i < prompts.size(); ++i) {
      const auto& gi = *golden_items[i];
      // The unconditional request scores the same continuation with no context.
      EXPECT_EQ(prompts[i].continuations,
                gi.at("unconditional_continuations").get<std::vector<std::string>>());
      const auto cond = gi.at("loglik").get<std::vector<double>>();
      const auto uncond = gi.at("loglik_unconditional").get<std::vector<double>>();
      ASSERT_EQ(scored[i].logprob_norm.size(), cond.size());
      for (size_t k = 0; k < cond.size(); ++k) {
        max_diff = std::max(max_diff, std::fabs(scored[i].logprob[k] - cond[k]));
        max_diff = std::max(max_diff, std::fabs(scored[i].logprob_norm[k] - (cond[k] - uncond[k])));
      }
      agree += scored[i].position == gi.at("choice_acc_mutual_info").get<int>();
      EXPECT_EQ(scored[i].position == 0, gi.at("acc_mutual_info").get<double>() == 1.0);
    }
    EXPECT_LT(max_diff, 1e-4) << kRegen;
    EXPECT_EQ(agree, static_cast<int>(prompts.size()));
  }
}

TEST(ScoringLmeval, PmiKeepsTheRawSumsAndSubtractsTheUnconditional) {
  // The two norms fill logprob_norm differently; the raw sums agree.
  Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  const Instrument inst = load_instrument("trait-builtin");
  const Order canonical{{kHigh1, kHigh2, kLow1, kLow2}, "cloze"};
  const Prompt p = render_scenario(inst.scenarios.at(0), canonical, 1, false, "", ck.chat, false);
  ScorerOptions opts;
  opts.loglik_norm = LoglikNorm::Chars;
  const auto chars = make_scorer(ScoringMode::Loglik, ck, opts)->score({&p}, {0}).at(0);
  opts.loglik_norm = LoglikNorm::Pmi;
  const auto pmi = make_scorer(ScoringMode::Loglik, ck, opts)->score({&p}, {0}).at(0);
  ASSERT_EQ(chars.logprob.size(), pmi.logprob.size());
  for (size_t k = 0; k < chars.logprob.size(); ++k) {
    EXPECT_NEAR(chars.logprob[k], pmi.logprob[k], 1e-9);
    EXPECT_GT(pmi.logprob_norm[k], pmi.logprob[k]) << "an unconditional log-likelihood is < 0";
  }
  EXPECT_EQ(loglik_norm_name(parse_loglik_norm("pmi", "test")), std::string("pmi"));
}

}  // namespace
}  // namespace traitlab
