#pragma once
// Where a measurement's results go. The engine streams rows to a sink as
// they are produced and hands it the aggregates at the end; the HDF5 writer
// (h5_results_sink.h) and the runner's journal implement it, tests use
// MemorySink.
#include <vector>

#include "elicit/measure/aggregate.h"
#include "elicit/measure/response.h"

namespace traitlab {

class ResultsSink {
 public:
  virtual ~ResultsSink() = default;
  virtual void responses(const std::vector<ResponseRow>& rows) = 0;
  virtual void generations(const std::vector<GenerationRow>& rows) = 0;
  // Every row of this condition has been delivered: a restart point.
  virtual void condition_done(int64_t /*condition*/) {}
  virtual void summary(const MeasureSummary& s) = 0;
};

class MemorySink : public ResultsSink {
 public:
  void responses(const std::vector<ResponseRow>& r) override {
    rows.insert(rows.end(), r.begin(), r.end());
  }
  void generations(const std::vector<GenerationRow>& g) override {
    samples.insert(samples.end(), g.begin(), g.end());
  }
  void condition_done(int64_t c) override { done.push_back(c); }
  void summary(const MeasureSummary& s) override { result = s; }

  std::vector<ResponseRow> rows;
  std::vector<GenerationRow> samples;
  std::vector<int64_t> done;
  MeasureSummary result;
};

}  // namespace traitlab
