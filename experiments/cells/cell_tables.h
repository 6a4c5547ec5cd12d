#pragma once
// How a cell's measurement lands in the run's tables (docs/hdf5-schema.md,
// "Experiment tables"): one row per scored response, one per (instrument,
// condition, trait) score, one per condition. Every row also carries the
// cell's technique, target trait, level and alpha, so each table reads on
// its own in pandas.
#include <string>
#include <vector>

#include "elicit/measure/aggregate.h"
#include "elicit/measure/response.h"
#include "experiments/runner/grid.h"
#include "experiments/runner/result_sink.h"

namespace traitlab::cells {

// What shaped the model in this cell.
struct CellTechnique {
  std::string technique = "none";
  std::string target;     // target trait ("" for none / finetune)
  int level = 0;          // 1..9, 0 when not applicable
  double alpha = 0.0;     // steer only (NaN otherwise)
  std::string persona;    // condition text given to the model ("" = none)
  std::string generated;  // text the technique generated (p2), "" otherwise
};

CellTechnique technique_of(const runner::Cell& cell);

void append_condition(runner::ResultSink& sink, const CellTechnique& t);
void append_responses(runner::ResultSink& sink, const CellTechnique& t,
                      const std::vector<ResponseRow>& rows);
void append_scores(runner::ResultSink& sink, const CellTechnique& t, const MeasureSummary& s);

}  // namespace traitlab::cells
