#pragma once
// Writes a measurement into an HDF5 results file (schema: docs/hdf5-schema.md,
// sections "responses", "scores", "reliability"): tables /conditions,
// /responses (scenario items), /likert_responses, /generations while the
// run goes, and /scores, /reliability, /validity at the end. The caller
// owns provenance attributes (file()) and the temp-name-then-rename step.
#include <memory>
#include <optional>
#include <string>

#include "core/io/hdf5_file.h"
#include "elicit/measure/results_sink.h"

namespace traitlab {

class H5ResultsSink : public ResultsSink {
 public:
  H5ResultsSink(const std::string& path, bool overwrite);
  H5File& file() { return file_; }

  void conditions(const std::vector<std::string>& personas);
  void responses(const std::vector<ResponseRow>& rows) override;
  void generations(const std::vector<GenerationRow>& rows) override;
  void condition_done(int64_t condition) override;
  void summary(const MeasureSummary& s) override;
  // Flushes and closes every table and the file.
  void close();

 private:
  H5File file_;
  std::optional<H5Table> scenario_, likert_, generations_;
};

}  // namespace traitlab
