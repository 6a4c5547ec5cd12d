#pragma once
// What one measurement produces: a row per scored context (item x template
// x paraphrase x option order x condition), a row per generated sample, and
// the aggregates (elicit/measure/aggregate.h). Option values are stored in
// CANONICAL order: scenario H1, H2, L1, L2; Likert scale points 1..k (the
// anchor order, lowest first) whatever order they were shown in.
#include <cstdint>
#include <string>
#include <vector>

#include "elicit/instruments/instrument.h"

namespace traitlab {

struct ResponseRow {
  int64_t id = 0;         // running number over the run, unique per row
  int64_t condition = 0;  // index into MeasureSpec::personas
  std::string instrument;
  InstrumentKind kind = InstrumentKind::Scenario;
  std::string item_id;
  Trait trait = Trait::Openness;
  int template_id = 1;
  bool paraphrase = false;
  std::string order_name;  // "original", "reversed", "perm-...", "random:0", "cloze", "ascending"
  // Canonical option at each display position, comma-separated:
  // "H1,L1,H2,L2" (A=H1 ...); Likert: "1,2,3,4,5" (scale points).
  std::string order_code;
  std::string scoring;
  std::vector<double> logprob, logprob_norm, prob;  // canonical order (see top)
  int choice = -1;    // canonical index (scenario 0..3, Likert 0..k-1); -1 = refusal
  int position = -1;  // display position chosen (0 = A / first label); -1 = refusal
  bool refused = false;
  std::string refusal_reason;
  double label_mass = 0.0;  // letters/likert: label coverage of the next-token mass; else NaN
  std::string text;         // generate: the first sample's text
  // Likert only (NaN otherwise).
  int key = 0;                  // +1 / -1
  int scale_points = 0;         // k
  double expected = 0.0;        // sum_k p_k * k on the raw scale 1..k
  double expected_keyed = 0.0;  // after reverse keying
  double argmax_keyed = 0.0;    // keyed scale point of the most probable answer
};

struct GenerationRow {
  int64_t response = 0;  // ResponseRow::id
  int sample = 0;
  std::string text;
  int choice = -1;  // canonical; -1 = no valid choice
  std::string refusal_reason;
};

}  // namespace traitlab
