#pragma once
// From response rows to what a researcher reads: per-trait scores with
// bootstrap CIs, refusal rates and sensitivities (table /scores),
// internal-consistency reliability over simulated participants
// (/reliability) and scenario-vs-Likert convergent validity (/validity).
// Definitions: docs/measure.md and docs/metrics.md.
#include <cstdint>
#include <string>
#include <vector>

#include "elicit/measure/response.h"

namespace traitlab {

struct MeasureSpec;

// One (instrument, condition, trait).
struct ScoreRow {
  std::string instrument;
  InstrumentKind kind = InstrumentKind::Scenario;
  int64_t condition = 0;
  Trait trait = Trait::Openness;
  std::string scoring;
  int64_t n_items = 0;
  int64_t n_measurements = 0;  // item x template x paraphrase units (orders averaged within)
  int64_t n_responses = 0;     // rows, i.e. with every order
  // Scenario: binary TRAIT score 0..100 (orders averaged, then argmax).
  // Likert: mean keyed expected scale point (1..k).
  double score = 0.0, ci_lo = 0.0, ci_hi = 0.0;
  // Scenario: 100 * mean P(high). Likert: mean keyed argmax scale point.
  double weighted = 0.0, weighted_ci_lo = 0.0, weighted_ci_hi = 0.0;
  double refusal_rate = 0.0;
  double prompt_sensitivity = 0.0;  // SD of `score` across templates
  double order_flip_share = 0.0;    // share of measurements whose choice changes with the order
  double order_pole_flip_share = 0.0;
  double order_mean_abs_delta = 0.0;  // mean |score_a - score_b| over order pairs
  double paraphrase_flip_share = 0.0;
  double paraphrase_pole_flip_share = 0.0;
  double paraphrase_abs_delta = 0.0;
  std::string position_rates;  // share of answers at each display position, "A=0.31,B=0.25,..."
  double position_chi2_p = 0.0;
  double label_mass = 0.0;  // mean label coverage (letters/likert)
};

// One (instrument, trait) over simulated participants.
struct ReliabilityRow {
  std::string instrument;
  Trait trait = Trait::Openness;
  int64_t n_participants = 0;
  int64_t n_items = 0;
  double alpha = 0.0, lambda6 = 0.0, omega = 0.0;
  std::string participants;  // how participants were formed
  std::string note;          // why a value is NaN, if it is
};

struct ValidityRow {
  Trait trait = Trait::Openness;
  std::string scenario_instrument, likert_instrument;
  int64_t n_participants = 0;
  double r = 0.0;  // Pearson r across (condition, template) participants
  std::string note;
};

struct MeasureSummary {
  std::vector<ScoreRow> scores;
  std::vector<ReliabilityRow> reliability;
  std::vector<ValidityRow> validity;
};

MeasureSummary summarize(const std::vector<ResponseRow>& rows, const MeasureSpec& spec);

}  // namespace traitlab
