#pragma once
// The trait probe: during fine-tuning, at step 0 (before any update), every
// N steps and at the end, measure a small subset of an instrument under a
// few persona conditions on the model being trained, with the same engine
// as `traitlab measure` (elicit/measure/engine.h), and hand the per-trait
// scores to a callback (the HDF5 trait_trajectory table, trajectory_h5.h).
//
// The model is measured as the trainer leaves it for hooks: evaluation mode,
// LoRA adapters active; the probe adds a NoGradGuard and restores torch's
// default generator afterwards, so probing does not change the training run
// (exact resume still holds). Steps already recorded (a resumed run whose
// file has them) are skipped, so rows are never duplicated.
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "elicit/measure/measure_spec.h"
#include "finetune/hooks.h"

namespace traitlab {

class PersonaBank;

// One persona condition of the probe: `name` is what the trajectory records
// ("none", "psychopathy:9"), `persona` the system text ("" for none).
struct ProbeCondition {
  std::string name;
  std::string persona;
};

// "none,psychopathy:9,openness:1+narcissism:9": conditions separated by
// commas; each "none" or a profile of trait:level pairs joined by '+'
// (trait: any spelling parse_trait accepts; level 1..9, Serapio-Garcia et
// al.'s scale, elicit/techniques/persona.h). The persona text is built with
// the "you_are" template. InputError naming `where` otherwise.
std::vector<ProbeCondition> parse_probe_conditions(const std::string& text, const PersonaBank& bank,
                                                   const std::string& where = "--probe-conditions");

struct ProbeSpec {
  std::vector<std::string> instruments = {"trait-builtin"};  // load_instrument names or files
  std::string traits = "all";                                // "all" or "O,C,P"
  int items_per_trait = 3;  // seeded random sample per trait; 0 = every item
  uint64_t seed = 0;        // item sample and the measurement's own seed
  std::vector<ProbeCondition> conditions = {{"none", ""}};
  int64_t every = 0;             // probe every N steps (besides step 0 and the end); 0: only those
  int bootstrap = 200;           // bootstrap resamples for the CIs
  int batch_size = 8;            // prompts per forward pass
  std::string scoring = "auto";  // as `traitlab measure --scoring`
  std::string option_packing = "auto";  // as `traitlab measure --option-packing`
  std::string loglik_norm = "chars";    // as `traitlab measure --loglik-norm`
};

// One (step, condition, instrument, trait) of the trajectory.
struct ProbeRow {
  int64_t step = 0;
  std::string condition, instrument, trait;
  double score = 0.0, ci_lo = 0.0, ci_hi = 0.0;  // ScoreRow::score and its bootstrap CI
  double weighted = 0.0;                         // ScoreRow::weighted (100 * mean P(high))
  double refusal_rate = 0.0;
  int64_t n_items = 0, n_responses = 0;
};

class TraitProbeHook : public TrainerHook {
 public:
  using RowsFn = std::function<void(const std::vector<ProbeRow>&)>;
  // Loads and subsets the instruments now (InputError for bad names); `ck`
  // is the checkpoint being trained and must outlive the hook.
  TraitProbeHook(Checkpoint& ck, ProbeSpec spec, RowsFn on_rows);

  // Steps whose rows already exist (from the file of a resumed run).
  void skip_steps(const std::set<int64_t>& steps);
  // Measures now and delivers the rows labelled `step`, unless that step
  // is already recorded (then returns no rows).
  std::vector<ProbeRow> probe_now(int64_t step);

  void on_train_begin(int64_t step, int64_t total_steps, TrainerControl&) override;
  void on_step(const StepMetrics& m, TrainerControl&) override;
  void on_train_end(int64_t step) override;

  const MeasureSpec& measure_spec() const { return mspec_; }
  const ProbeSpec& spec() const { return spec_; }

 private:
  Checkpoint& ck_;
  ProbeSpec spec_;
  MeasureSpec mspec_;
  RowsFn on_rows_;
  std::set<int64_t> done_;
};

}  // namespace traitlab
