#pragma once
// A deterministic stand-in for measurement code, for testing the runner
// (and the hidden `traitlab _dummy-run` command used by the kill -9 test).
// Every value depends only on the cell's seed and key, so reruns, resumes
// and shards must reproduce it bit for bit.
#include "experiments/runner/runner.h"

namespace traitlab::runner {

struct DummyCellOptions {
  int items = 4;     // rows of table "items" per cell
  int sleep_ms = 0;  // pause after each row (gives kill -9 time to land)
};

// Tables: "items" (item:int64, value:float64, label:string, high:bool) and
// "cell_summary" (mean:float64, key:string).
CellFn dummy_cell_fn(const DummyCellOptions& options);

}  // namespace traitlab::runner
