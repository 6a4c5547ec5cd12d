#pragma once
// The summary `traitlab run` prints at the end and `traitlab show` adds to
// its report, computed from the run's "scores" table:
//   * Profile: per model and instrument, the unprompted (technique none)
//     score of every trait with its bootstrap CI;
//   * Elicitation: per technique x target trait x level (or alpha), the
//     target trait's score, its shift from the unprompted baseline, the mean
//     |shift| of the other traits (off-target), and the refusal rate;
//   * Shaping success: Spearman rho between intended level (or alpha) and
//     measured target score, per technique and target trait.
#include <ostream>

#include "experiments/runner/run_store.h"

namespace traitlab::cells {

void print_experiment_summary(const runner::LoadedResults& results, std::ostream& out);

}  // namespace traitlab::cells
