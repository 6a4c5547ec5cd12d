#pragma once
// The measurement engine: conditions (personas) x instruments x items x
// templates x paraphrase x option orders -> prompts -> a Scorer -> response
// rows (streamed to a ResultsSink) -> aggregates. Each context is rendered
// and scored once; the scorer batches contexts (letters) or shares the
// context's KV cache across options (loglik).
#include <functional>
#include <memory>

#include "core/checkpoint.h"
#include "elicit/measure/measure_spec.h"
#include "elicit/measure/results_sink.h"

namespace traitlab {

class MeasureEngine {
 public:
  using Progress = std::function<void(int64_t done, int64_t total)>;

  // Validates the spec; the checkpoint must outlive the engine.
  MeasureEngine(Checkpoint& ck, MeasureSpec spec);

  // Contexts (scored prompts) in one condition and in the whole run.
  int64_t contexts_per_condition() const;
  int64_t total_contexts() const;
  const MeasureSpec& spec() const { return spec_; }

  // Runs one condition: rows go to the sink (and are kept for the summary),
  // then sink.condition_done(condition). Conditions are independent, so a
  // restarted run can skip the ones it already has.
  void run_condition(int64_t condition, ResultsSink& sink, const Progress& progress = {});
  // Every condition, then the summary (also given to the sink).
  MeasureSummary run(ResultsSink& sink, const Progress& progress = {});

  // Rows delivered so far (e.g. after run_condition, or to add restored ones).
  std::vector<ResponseRow>& rows() { return rows_; }

 private:
  struct Context;
  std::vector<Context> contexts(int64_t condition) const;

  Checkpoint& ck_;
  MeasureSpec spec_;
  std::vector<ResponseRow> rows_;
  int64_t next_id_ = 0;
  int64_t done_ = 0;
};

}  // namespace traitlab
