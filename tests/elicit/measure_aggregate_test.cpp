// Aggregation of response rows into scores, sensitivities, reliability and
// validity, on hand-made rows whose answers are known by construction.
#include <gtest/gtest.h>

#include <cmath>

#include "elicit/measure/aggregate.h"
#include "elicit/measure/measure_spec.h"
#include "elicit/stats/reliability.h"
#include "elicit/stats/trait_score.h"

namespace traitlab {
namespace {

ResponseRow scenario_row(const std::string& item, int templ, bool para, const std::string& order,
                         std::vector<double> probs, int64_t condition = 0) {
  ResponseRow r;
  r.condition = condition;
  r.instrument = "bank";
  r.kind = InstrumentKind::Scenario;
  r.item_id = item;
  r.trait = Trait::Extraversion;
  r.template_id = templ;
  r.paraphrase = para;
  r.order_name = order;
  r.scoring = "letters";
  r.prob = probs;
  r.logprob = r.logprob_norm = std::vector<double>(4, 0.0);
  r.label_mass = 0.5;
  r.choice = static_cast<int>(std::max_element(probs.begin(), probs.end()) - probs.begin());
  // original: A=H1 B=L1 C=H2 D=L2; reversed: A=L1 B=H1 C=L2 D=H2
  const int orig_pos[4] = {0, 2, 1, 3}, rev_pos[4] = {1, 3, 0, 2};
  r.position = order == "original" ? orig_pos[r.choice] : rev_pos[r.choice];
  return r;
}

MeasureSpec spec() {
  MeasureSpec s;
  s.bootstrap_resamples = 200;
  return s;
}

// TRAIT's rule, written out: average each canonical option over orders,
// then argmax; high if H1 or H2.
bool trait_high(const std::vector<std::vector<double>>& orders) {
  std::vector<double> avg(4, 0.0);
  for (const auto& o : orders)
    for (int k = 0; k < 4; ++k) avg[k] += o[k] / orders.size();
  return std::max_element(avg.begin(), avg.end()) - avg.begin() < 2;
}

TEST(MeasureAggregate, TraitScoreAveragesOrdersBeforeArgmax) {
  // Item x: original's argmax is H1 (high), reversed's is L1, the average is L1.
  const std::vector<std::vector<double>> x = {{0.40, 0.00, 0.35, 0.25}, {0.10, 0.10, 0.50, 0.30}};
  const std::vector<std::vector<double>> y = {{0.70, 0.10, 0.10, 0.10}, {0.60, 0.20, 0.10, 0.10}};
  const std::vector<std::vector<double>> z = {{0.10, 0.60, 0.20, 0.10}, {0.30, 0.30, 0.20, 0.20}};
  std::vector<ResponseRow> rows;
  for (const auto& [id, probs] : {std::pair{"x", x}, {"y", y}, {"z", z}}) {
    rows.push_back(scenario_row(id, 1, false, "original", probs[0]));
    rows.push_back(scenario_row(id, 1, false, "reversed", probs[1]));
  }
  const auto s = summarize(rows, spec());
  ASSERT_EQ(s.scores.size(), 1u);
  const ScoreRow& r = s.scores[0];
  const int highs = trait_high(x) + trait_high(y) + trait_high(z);
  EXPECT_EQ(highs, 2);
  EXPECT_DOUBLE_EQ(r.score, 100.0 * highs / 3);
  EXPECT_EQ(r.n_items, 3);
  EXPECT_EQ(r.n_measurements, 3);
  EXPECT_EQ(r.n_responses, 6);
  // P(high) averaged over orders, then over items.
  const double ph =
      ((0.40 + 0.10) / 2 + (0.00 + 0.10) / 2 + (0.80 + 0.80) / 2 + 0.70 / 2 + 0.60 / 2) / 3;
  EXPECT_NEAR(r.weighted, 100.0 * ph, 1e-9);
  // x changes its option (H1 vs L1) and pole between the orders; z changes
  // its option only (H2 vs H1, a tie broken towards H1); y changes nothing.
  EXPECT_NEAR(r.order_flip_share, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.order_pole_flip_share, 1.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.refusal_rate, 0.0);
  EXPECT_LE(r.ci_lo, r.score);
  EXPECT_GE(r.ci_hi, r.score);
  EXPECT_TRUE(std::isnan(r.prompt_sensitivity));  // one template
  EXPECT_TRUE(std::isnan(r.paraphrase_flip_share));
  EXPECT_FALSE(r.position_rates.empty());
  EXPECT_NEAR(r.label_mass, 0.5, 1e-12);
}

TEST(MeasureAggregate, RefusalsParaphraseAndTemplates) {
  std::vector<ResponseRow> rows;
  const std::vector<double> high = {0.7, 0.1, 0.1, 0.1}, low = {0.1, 0.1, 0.7, 0.1};
  for (int t = 1; t <= 2; ++t) {
    for (int i = 0; i < 4; ++i) {
      const std::string id = "i" + std::to_string(i);
      rows.push_back(scenario_row(id, t, false, "original", t == 1 || i < 2 ? high : low));
      rows.push_back(scenario_row(id, t, true, "original", i == 0 ? low : high));
    }
  }
  // One refused response (generate mode): it does not count as an answer.
  ResponseRow ref = scenario_row("i9", 1, false, "original", {NAN, NAN, NAN, NAN});
  ref.refused = true;
  ref.choice = ref.position = -1;
  rows.push_back(ref);
  const auto s = summarize(rows, spec());
  const ScoreRow& r = s.scores.at(0);
  EXPECT_NEAR(r.refusal_rate, 1.0 / 17.0, 1e-12);
  // Answers: t1 orig 4 high, t1 para 3 high 1 low, t2 orig 2/2, t2 para 3/1.
  EXPECT_NEAR(r.score, 100.0 * 12 / 16, 1e-9);
  // Template scores: t1 = 7/8, t2 = 5/8 (refusal excluded) -> sample SD.
  const double t1 = 100.0 * 7 / 8, t2 = 100.0 * 5 / 8;
  EXPECT_NEAR(r.prompt_sensitivity, std::fabs(t1 - t2) / std::sqrt(2.0), 1e-9);
  // Paraphrase pairs (item, template): 8; count those whose pole differs.
  int flips = 0;
  for (int t = 1; t <= 2; ++t)
    for (int i = 0; i < 4; ++i) flips += (t == 1 || i < 2) != (i != 0);
  EXPECT_NEAR(r.paraphrase_flip_share, flips / 8.0, 1e-12);
}

TEST(MeasureAggregate, LikertKeyingReliabilityAndValidity) {
  std::vector<ResponseRow> rows;
  // 3 conditions x 3 templates = 9 participants, 3 Likert items.
  stats::Table table;
  for (int c = 0; c < 3; ++c) {
    for (int t = 1; t <= 3; ++t) {
      std::vector<double> part;
      for (int i = 0; i < 3; ++i) {
        ResponseRow r;
        r.condition = c;
        r.instrument = "likert";
        r.kind = InstrumentKind::Likert;
        r.item_id = "q" + std::to_string(i);
        r.trait = Trait::Extraversion;
        r.template_id = t;
        r.scoring = "likert";
        r.key = i == 2 ? -1 : 1;
        r.scale_points = 5;
        r.expected = 1.0 + c + 0.3 * t + 0.1 * i;  // raw
        r.expected_keyed = r.key > 0 ? r.expected : 6.0 - r.expected;
        r.argmax_keyed = std::round(r.expected_keyed);
        r.prob = {0.2, 0.2, 0.2, 0.2, 0.2};
        r.choice = r.position = 2;
        r.label_mass = 0.3;
        part.push_back(r.expected_keyed);
        rows.push_back(r);
      }
      table.push_back(part);
      // The scenario instrument for the same trait and participants.
      const double ph = 0.2 + 0.2 * c + 0.01 * t;
      rows.push_back(scenario_row("s", t, false, "original", {ph, 0.0, 1.0 - ph, 0.0}, c));
      rows.back().trait = Trait::Extraversion;
    }
  }
  const auto s = summarize(rows, spec());
  const ScoreRow* lik = nullptr;
  for (const auto& r : s.scores)
    if (r.kind == InstrumentKind::Likert && r.condition == 1) lik = &r;
  ASSERT_NE(lik, nullptr);
  double want = 0.0;
  for (int t = 1; t <= 3; ++t)
    want += table[3 + t - 1][0] + table[3 + t - 1][1] + table[3 + t - 1][2];
  EXPECT_NEAR(lik->score, want / 9.0, 1e-9);
  const ReliabilityRow* rel = nullptr;
  for (const auto& r : s.reliability)
    if (r.instrument == "likert") rel = &r;
  ASSERT_NE(rel, nullptr);
  EXPECT_EQ(rel->n_participants, 9);
  EXPECT_EQ(rel->n_items, 3);
  EXPECT_NEAR(rel->alpha, stats::cronbach_alpha(table), 1e-12);
  ASSERT_EQ(s.validity.size(), 1u);
  EXPECT_EQ(s.validity[0].n_participants, 9);
  EXPECT_TRUE(std::isfinite(s.validity[0].r));
}

}  // namespace
}  // namespace traitlab
