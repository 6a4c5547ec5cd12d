#pragma once
// The cell function of `traitlab run`: for one grid cell, load (or reuse)
// the model, apply the cell's technique (persona prompt, few-shot examples,
// a model-written self-description, activation steering, or fine-tuning),
// measure the configured instrument on every configured trait, and append
// the rows to the run's tables (cells/cell_tables.h).
#include <iosfwd>
#include <memory>

#include "experiments/config/config.h"
#include "experiments/runner/runner.h"

namespace traitlab::cells {

// `config` must be validated and outlive the function. Progress notes go to
// `log` (nullptr: silent).
runner::CellFn experiment_cell_fn(const config::Config& config, std::ostream* log);

}  // namespace traitlab::cells
