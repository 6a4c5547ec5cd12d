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

const char* kRegen = "regenerate: /work/venv/bin/python tools/goldens/make_lmeval_goldens.py";

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

}  // namespace
}  // namespace traitlab
