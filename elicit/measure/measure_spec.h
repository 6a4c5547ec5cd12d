#pragma once
// What to measure: instruments, how to score them, and the perturbations
// (templates, paraphrases, option orders, personas) to run them under.
// One persona is one *condition*; conditions are independent units of work
// (the runner resumes a run condition by condition).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "elicit/instruments/instrument.h"
#include "elicit/instruments/option_order.h"
#include "elicit/scoring/scorer.h"

namespace traitlab {

struct MeasureSpec {
  std::vector<Instrument> instruments;
  // nullopt: letters for scenario instruments, likert for Likert ones.
  std::optional<ScoringMode> scoring;
  OrderSpec orders;              // scenario instruments; ignored by loglik (cloze has no list)
  std::vector<int> templates;    // 1-based; empty = every template of the kind
  bool paraphrase_both = false;  // also run paraphrased_situation/query where items have them
  std::vector<std::string> personas{""};  // one condition each; "" = no persona
  bool chat = false;
  uint64_t seed = 0;
  ScorerOptions scorer;
  int bootstrap_resamples = 2000;

  // Checks everything that can be checked without a model (InputError
  // naming the flag): instruments non-empty, templates in range, modes
  // compatible with the instrument kinds, scorer options.
  void validate() const;
  // The mode an instrument of this kind is scored with.
  ScoringMode mode_for(InstrumentKind kind) const;
  // Templates for this kind (resolves "all").
  std::vector<int> templates_for(InstrumentKind kind) const;
};

// "all" or a comma-separated list of 1-based template numbers.
std::vector<int> parse_templates(const std::string& text, const std::string& where);

}  // namespace traitlab
