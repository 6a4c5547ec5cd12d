#pragma once
// A fine-tuning run that records its trajectory in one HDF5 file: the
// train_steps and attention_entropy tables (finetune/train_h5_log.h) and,
// with a probe, trait_trajectory (trait_probe.h, trajectory_h5.h). Used by
// `traitlab finetune --out-h5` and meant for the experiment runner.
// With spec.resume the file is continued without duplicating any step.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiments/probes/trait_probe.h"
#include "finetune/finetune_run.h"

namespace traitlab {

struct TrajectoryOutput {
  std::string h5_path;             // "" = no HDF5 file (then no probe either)
  std::optional<ProbeSpec> probe;  // trait probe, needs h5_path
  nlohmann::json provenance;       // stored as the file's "config" attribute
  // Each probe's rows also go here (e.g. a console line); may be empty.
  std::function<void(const std::vector<ProbeRow>&)> on_rows;
};

FinetuneOutcome run_finetune_with_trajectory(
    Checkpoint& ck, const FinetuneSpec& spec, const TrajectoryOutput& output,
    const std::vector<std::shared_ptr<TrainerHook>>& extra_hooks = {});

}  // namespace traitlab
