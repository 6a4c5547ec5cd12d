#pragma once
// A finetune cell: train a fresh copy of the cell's model on finetune.data
// (SFT or DPO, LoRA or full), re-measuring traits under the probe
// conditions at step 0, every finetune.probe_every steps and at the end
// (table trait_trajectory), logging every step (table train_steps); the
// caller then measures the tuned model like any other cell.
//
// A cell is recorded whole or not at all, so a run killed inside a
// finetune cell retrains that cell from step 0 on resume (its working
// directory, <output>.work/<cell id>, is cleared first).
#include <memory>
#include <ostream>

#include "core/checkpoint.h"
#include "experiments/config/config.h"
#include "experiments/runner/grid.h"
#include "experiments/runner/result_sink.h"
#include "finetune/train_target.h"

namespace traitlab::cells {

// Returns the training target, which owns the LoRA adapters installed on
// ck.model: keep it alive while measuring the tuned model.
std::shared_ptr<TrainTarget> train_in_cell(Checkpoint& ck, const config::Config& c,
                                           const runner::Cell& cell, runner::ResultSink& sink,
                                           std::ostream* log);

}  // namespace traitlab::cells
