// Loglik scoring gives the same log-likelihoods and choices whichever way
// the options run (ScorerOptions::option_packing): packed into one pass,
// from a shared KV cache, or one pass each, on a small bank through the
// whole measurement engine; and the flag's parsing and auto resolution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/ops/loglik.h"
#include "core/ops/packed_layout.h"
#include "core/util/error.h"
#include "elicit/instruments/subset.h"
#include "elicit/measure/engine.h"
#include "elicit/prompts/render_scenario.h"
#include "tests/core/ops_test_util.h"

namespace traitlab {
namespace {

Checkpoint& model() {
  static Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  return ck;
}

std::vector<ResponseRow> measure_with(OptionPacking packing, int batch_size) {
  MeasureSpec s;
  const Instrument all = load_instrument("trait-builtin");
  s.instruments.push_back(
      first_n_per_trait(select_traits(all, {Trait::Openness, Trait::Neuroticism}), 3));
  s.templates = {1, 2, 3};
  s.paraphrase_both = true;
  s.bootstrap_resamples = 0;
  s.scoring = ScoringMode::Loglik;
  s.scorer.option_packing = packing;
  s.scorer.batch_size = batch_size;
  MemorySink sink;
  MeasureEngine(model(), s).run(sink);
  return sink.rows;
}

TEST(ScoringPacking, MeasureResultsDoNotDependOnPacking) {
  const auto separate = measure_with(OptionPacking::Separate, 8);
  ASSERT_GE(separate.size(), 18u);
  double worst = 0.0;
  for (auto [packing, bs] : {std::pair{OptionPacking::Packed, 8},
                             {OptionPacking::Packed, 1},
                             {OptionPacking::Packed, 5},
                             {OptionPacking::Prefix, 8},
                             {OptionPacking::Auto, 8}}) {
    const auto rows = measure_with(packing, bs);
    ASSERT_EQ(rows.size(), separate.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const std::string at = std::string(option_packing_name(packing)) + " batch " +
                             std::to_string(bs) + " row " + std::to_string(i) + " (" +
                             rows[i].item_id + ")";
      EXPECT_EQ(rows[i].item_id, separate[i].item_id) << at;
      EXPECT_EQ(rows[i].choice, separate[i].choice) << at;
      ASSERT_EQ(rows[i].logprob.size(), separate[i].logprob.size()) << at;
      for (size_t c = 0; c < rows[i].logprob.size(); ++c) {
        const double d = std::abs(rows[i].logprob[c] - separate[i].logprob[c]);
        worst = std::max(worst, d);
        EXPECT_LE(d, 1e-4) << at << " option " << c;
        EXPECT_NEAR(rows[i].prob[c], separate[i].prob[c], 1e-4) << at << " option " << c;
      }
    }
  }
  std::cout << "[packed] measure rows: max |logprob - separate| = " << worst << "\n";
}

// On a sliding-window model packed rows longer than the window cannot be
// exact; the scorer scores those contexts the prefix way, the rest packed,
// and the results still equal one pass per option.
TEST(ScoringPacking, SlidingWindowModelsFallBackWhereNeeded) {
  MeasureSpec s;
  s.instruments.push_back(first_n_per_trait(
      select_traits(load_instrument("trait-builtin"), {Trait::Agreeableness}), 3));
  s.templates = {1, 2, 3};
  s.bootstrap_resamples = 0;
  s.scoring = ScoringMode::Loglik;
  // The packed length of every context; a window at their median makes
  // some contexts pack and the others take the prefix path.
  const Checkpoint& base = model();
  const int32_t prefix = default_prefix_token_id(*base.tokenizer, base.model->config());
  std::vector<int64_t> lengths;
  for (const auto& item : s.instruments[0].scenarios) {
    for (int t : s.templates) {
      const Prompt p = render_scenario(item, original_order(), t, false, "", base.chat, false);
      OptionSet set;
      for (const auto& c : p.continuations) {
        auto pair = encode_pair(*base.tokenizer, p.cloze_text, c, prefix);
        set.context = pair.context;
        set.options.push_back(pair.continuation);
      }
      lengths.push_back(packed_length(set));
    }
  }
  std::sort(lengths.begin(), lengths.end());
  ModelConfig cfg = base.model->config();
  cfg.sliding_window = lengths[lengths.size() / 2];
  ASSERT_LT(lengths.front(), *cfg.sliding_window);
  ASSERT_GT(lengths.back(), *cfg.sliding_window);
  Checkpoint ck = base;
  ck.model = init_random_model(cfg, 9);
  std::vector<std::vector<ResponseRow>> runs;
  for (auto p : {OptionPacking::Separate, OptionPacking::Packed}) {
    s.scorer.option_packing = p;
    MemorySink sink;
    MeasureEngine(ck, s).run(sink);
    runs.push_back(sink.rows);
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) {
    EXPECT_EQ(runs[0][i].choice, runs[1][i].choice) << "row " << i;
    for (size_t c = 0; c < runs[0][i].logprob.size(); ++c)
      EXPECT_NEAR(runs[0][i].logprob[c], runs[1][i].logprob[c], 1e-4) << "row " << i;
  }
}

TEST(ScoringPacking, ParsesAndResolves) {
  EXPECT_EQ(parse_option_packing("packed", "--option-packing"), OptionPacking::Packed);
  EXPECT_EQ(parse_option_packing("prefix", "--option-packing"), OptionPacking::Prefix);
  EXPECT_EQ(parse_option_packing("separate", "--option-packing"), OptionPacking::Separate);
  EXPECT_EQ(parse_option_packing("auto", "--option-packing"), OptionPacking::Auto);
  EXPECT_THROW(parse_option_packing("one-pass", "--option-packing"), InputError);
  for (auto p :
       {OptionPacking::Auto, OptionPacking::Packed, OptionPacking::Prefix, OptionPacking::Separate})
    EXPECT_EQ(parse_option_packing(option_packing_name(p), "x"), p);
  EXPECT_EQ(resolve_option_packing(OptionPacking::Auto, torch::kCUDA), OptionPacking::Packed);
  EXPECT_NE(resolve_option_packing(OptionPacking::Auto, torch::kCPU), OptionPacking::Auto);
  EXPECT_EQ(resolve_option_packing(OptionPacking::Separate, torch::kCUDA), OptionPacking::Separate);
}

}  // namespace
}  // namespace traitlab
